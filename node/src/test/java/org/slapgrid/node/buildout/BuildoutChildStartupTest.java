package org.slapgrid.node.buildout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;

/**
 * What a partition's buildout child JVM loads, with its class loading logged: every changed
 * partition starts one, so its fixed cost is the classes it loads. On the node's warm-up profile
 * (slapconfiguration reading a real instance file, mkdirectory, jinja2, wrapper, publish), first
 * install and unchanged re-run: no jackson-databind (instance.json and the recipes' JSON go
 * through jackson-core's streaming API), no Caffeine or java.util.logging (the template cache is
 * a plain map), no HTTP client, schema validator or master.
 */
class BuildoutChildStartupTest {

    /** Packages the child must not load on this profile. */
    static final List<String> HEAVY = List.of("com.fasterxml.jackson.databind.", "com.github.benmanes.caffeine.",
            "java.util.logging.", "java.net.http.", "com.networknt.", "org.slapgrid.master.", "com.hubspot.jinjava.",
            "org.eclipse.jgit.", "org.apache.commons.compress.", "picocli.", "org.slapgrid.cli.", "org.slf4j.");

    @TempDir
    Path tmp;

    @Test
    void theChildLoadsNoDatabindNorOtherHeavyMachinery() throws Exception {
        Path profile = ClassDataArchive.writeWarmUp(tmp);
        Path dir = Files.createDirectories(tmp.resolve("part"));
        BuildoutProcess process = new BuildoutProcess(NodeRuntime.current(), new PartitionExecutor());

        List<String> install = loaded(process, profile, dir, "install");
        assertThat(dir.resolve("etc/greeting")).as("the instance file's parameter reaches the template").hasContent("hello 01");
        List<String> rerun = loaded(process, profile, dir, "rerun");

        for (List<String> classes : List.of(install, rerun)) {
            assertThat(classes).as("the child runs (class loading was logged)")
                    .contains("org.slapgrid.node.buildout.BuildoutMain", "org.slapgrid.recipes.slap.InstanceFile");
            assertThat(classes.stream().filter(c -> HEAVY.stream().anyMatch(c::startsWith)).toList())
                    .as("heavy classes in the buildout child").isEmpty();
        }
    }

    private List<String> loaded(BuildoutProcess process, Path profile, Path dir, String name) throws Exception {
        List<String> cmd = new ArrayList<>(process.command(profile, dir, List.of()));
        Path log = tmp.resolve(name + "-classes.log");
        cmd.add(1, "-Xlog:class+load=info:file=" + log);
        ExecResult r = new PartitionExecutor().run(cmd, RunAs.currentUser(dir), Map.of(), Duration.ofMinutes(2));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return Files.readAllLines(log).stream()
                .map(l -> l.replaceFirst("^(\\[[^]]*\\])+ *", "").replaceFirst(" .*", ""))
                .toList();
    }
}
