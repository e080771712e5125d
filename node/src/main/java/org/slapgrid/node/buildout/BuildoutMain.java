package org.slapgrid.node.buildout;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slapgrid.buildout.Buildout;
import org.slapgrid.buildout.InstallReport;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.recipes.slap.InstanceConfiguration;
import org.slapgrid.recipes.slap.LocalSlapInstance;
import org.slapgrid.recipes.slap.SlapInstance;
import org.slapgrid.slap.SlapClient;

/**
 * The process that runs inside a partition (or a release build), with its privileges:
 * {@code BuildoutMain -c PROFILE [--offline] [--master URL --secret-file F --instance-file F]
 * [section:option=value ...]}. With a master, the publish and request recipes talk to it with
 * the instance's own secret; without, they fall back to the files that {@code [slap-connection]}
 * names. Exit status: 0 ok, 1 a part failed, 2 bad input.
 */
public final class BuildoutMain {

    private BuildoutMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path profile = null;
        boolean offline = false;
        String master = null;
        Path secretFile = null;
        Path instanceFile = null;
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-c" -> profile = Path.of(args[++i]);
                case "--offline", "-o" -> offline = true;
                case "--master" -> master = args[++i];
                case "--secret-file" -> secretFile = Path.of(args[++i]);
                case "--instance-file" -> instanceFile = Path.of(args[++i]);
                default -> {
                    if (!a.contains("=")) {
                        System.err.println("buildout: unexpected argument '" + a + "'");
                        return 2;
                    }
                    assignments.add(a);
                }
            }
        }
        if (profile == null) {
            System.err.println("buildout: -c PROFILE is required");
            return 2;
        }
        try {
            Buildout.Builder b = Buildout.builder(profile).offline(offline).log(System.out::println);
            assignments.forEach(b::assign);
            if (master != null) {
                b.service(SlapInstance.class, masterInstance(master, secretFile, instanceFile));
            }
            InstallReport report = b.build().install();
            report.parts().forEach(p -> System.out.println("  " + p));
            return 0;
        } catch (BuildoutException e) {
            System.err.println("buildout: " + e.getMessage());
            return e.exitStatus();
        } catch (IOException | RuntimeException e) {
            System.err.println("buildout: " + e);
            return 1;
        }
    }

    private static SlapInstance masterInstance(String master, Path secretFile, Path instanceFile) throws IOException {
        if (secretFile == null || instanceFile == null) {
            throw new IOException("--master needs --secret-file and --instance-file");
        }
        String secret = Files.readString(secretFile).strip();
        InstanceConfiguration configuration = LocalSlapInstance.beside(instanceFile).configuration();
        URI url = URI.create(master);
        return new MasterPublishingSlapInstance(new InstancePublisher(url, secret, Duration.ofSeconds(60)),
                () -> SlapClient.builder(url).token(secret).build(), configuration);
    }
}
