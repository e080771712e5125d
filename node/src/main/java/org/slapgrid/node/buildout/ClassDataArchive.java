package org.slapgrid.node.buildout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.slap.InstanceConfiguration;
import org.slapgrid.recipes.slap.InstanceFile;

/**
 * A class-data-sharing archive (AppCDS) for the buildout child JVMs: it roughly halves their
 * start (measured 1.1-1.2 s to 0.6-0.7 s on the build machine), which dominates a partition's
 * convergence. The node dumps it itself, once per runtime (classpath and JDK), by running its own
 * warm-up profile in a fresh directory. Never a partition's profile, and never a partition's
 * JVM writing it: an archive that one partition could write and others load would let it inject
 * code into them. It is kept root-owned and read-only in the node's state directory; when it
 * cannot be made, the children simply start without it.
 */
public final class ClassDataArchive {

    /** CDS's own warnings (classes it skips) would only clutter the partitions' logs. */
    static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private final NodeRuntime runtime;
    private final Path libDir;

    public ClassDataArchive(NodeRuntime runtime, Path libDir) {
        this.runtime = runtime;
        this.libDir = libDir;
    }

    /** The archive's path for this runtime (it may not exist yet). */
    public Path path() {
        return libDir.resolve("buildout-" + fingerprint() + ".jsa");
    }

    /**
     * The archive, dumped now if missing; null when it cannot be made (the children then start
     * without it). Safe to call concurrently: the dump goes to a private temporary file renamed
     * into place.
     */
    public synchronized Path ensure() {
        Path archive = path();
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        if (runtime.classpath().stream().anyMatch(Files::isDirectory)) {
            return null; // CDS archives classes from jars only: a development classpath has directories
        }
        Path work = null;
        try {
            Files.createDirectories(libDir);
            work = Files.createTempDirectory(libDir, ".warm-up-");
            Path profile = writeWarmUp(work);
            Path dump = work.resolve("archive.jsa");
            List<String> cmd = new ArrayList<>(List.of(runtime.java().toString(), "-XX:ArchiveClassesAtExit=" + dump));
            cmd.addAll(QUIET);
            cmd.addAll(BuildoutProcess.JVM_FLAGS);
            cmd.addAll(List.of("-cp", runtime.classpathString(), BuildoutProcess.MAIN_CLASS, "-c", profile.toString(),
                    "buildout:directory=" + work.resolve("run")));
            // As a partition's: with --master, so that the publish call's classes are archived
            // too; the "master" is a stub on the loopback that accepts the publish and nothing else.
            HttpServer stub = publishStub();
            Process p;
            try {
                Files.writeString(work.resolve("secret"), "warm-up");
                cmd.addAll(List.of("--master", "http://127.0.0.1:" + stub.getAddress().getPort(),
                        "--secret-file", work.resolve("secret").toString(), "--instance-file", work.resolve("instance.json").toString()));
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .directory(work.toFile()).start();
                if (!p.waitFor(3, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return null;
                }
            } finally {
                stub.stop(0);
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(dump)) {
                return null;
            }
            Files.setPosixFilePermissions(dump, PosixFilePermissions.fromString("r--r--r--"));
            AtomicFiles.move(dump, archive);
            return archive;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (work != null) {
                try {
                    AtomicFiles.deleteTree(work);
                } catch (IOException e) {
                    // a leftover temporary directory is harmless
                }
            }
        }
    }

    /**
     * Writes the node's warm-up profile into {@code work} with an instance file in the node's own
     * format ({@link InstanceFile}, as a partition's), and returns the profile: what the archive
     * is trained on, and what the child start-up test runs.
     */
    static Path writeWarmUp(Path work) throws IOException {
        Path profile = work.resolve("warm-up.cfg");
        try (InputStream in = ClassDataArchive.class.getResourceAsStream("warm-up.cfg")) {
            Files.copy(in, profile);
        }
        Path instance = work.resolve("instance.json");
        Files.writeString(instance, InstanceFile.encode(new InstanceConfiguration("warm-up", "warm-up", "", "default",
                "started", Map.of("greeting", "hello", "n", 1), List.of("127.0.0.1"), List.of("::1"), "warm-up", "warm-up",
                "", List.of(Map.of("slave_reference", "s1")), Map.of())), StandardCharsets.UTF_8);
        Files.writeString(profile, "\n[slap-connection]\ninstance-file = " + instance + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        return profile;
    }

    /** A loopback HTTP server that answers the warm-up's publish (any PUT) with 204 and anything else with 404. */
    private static HttpServer publishStub() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders("PUT".equals(exchange.getRequestMethod()) ? 204 : 404, -1);
            }
        });
        server.start();
        return server;
    }

    private String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(runtime.classpathString().getBytes(StandardCharsets.UTF_8));
            md.update(System.getProperty("java.vm.version", "").getBytes(StandardCharsets.UTF_8));
            for (Path entry : runtime.classpath()) {
                if (Files.isRegularFile(entry)) { // a rebuilt jar needs a new archive
                    md.update(Long.toString(Files.getLastModifiedTime(entry).toMillis()).getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException | IOException e) {
            return "unknown";
        }
    }

}
