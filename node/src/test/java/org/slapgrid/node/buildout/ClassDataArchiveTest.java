package org.slapgrid.node.buildout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;

class ClassDataArchiveTest {

    @TempDir
    Path tmp;

    @Test
    void isDumpedOnceFromTheWarmUpProfileReadOnlyAndUsedByChildren() throws Exception {
        NodeRuntime jars = jarsOnly(NodeRuntime.current());
        ClassDataArchive archive = new ClassDataArchive(jars, tmp.resolve("lib"));
        Path made = archive.ensure();

        assertThat(made).isNotNull().isRegularFile().isEqualTo(archive.path());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("r--r--r--");
        assertThat(Files.size(made)).as("it holds the classes a buildout loads").isGreaterThan(1_000_000);
        try (var left = Files.list(tmp.resolve("lib"))) {
            assertThat(left).as("no warm-up leftovers").containsExactly(made);
        }
        FileTime first = Files.getLastModifiedTime(made);
        assertThat(archive.ensure()).isEqualTo(made);
        assertThat(Files.getLastModifiedTime(made)).as("reused, not dumped again").isEqualTo(first);

        // a child started with the archive runs a profile normally
        Path dir = tmp.resolve("part");
        Files.createDirectories(dir);
        Path profile = tmp.resolve("p.cfg");
        Files.writeString(profile, "[buildout]\nparts = d\n\n[d]\nrecipe = slapos.cookbook:mkdirectory\nx = " + dir.resolve("x") + "\n");
        BuildoutProcess process = new BuildoutProcess(jars, new PartitionExecutor(), archive);
        ExecResult r = process.run(profile, dir, List.of(), RunAs.currentUser(dir), Duration.ofMinutes(2));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(dir.resolve("x")).isDirectory();
        assertThat(r.output()).doesNotContain("[cds]").doesNotContain("shared archive");

        // ... and it does use the archive: the very command, with sharing required rather than
        // tried (-Xshare:on fails where auto falls back in silence) and class loading logged,
        // loads the buildout's own classes from the archive, not from the jars.
        List<String> cmd = new ArrayList<>(process.command(profile, dir, List.of()));
        assertThat(cmd).contains("-Xshare:auto", "-XX:SharedArchiveFile=" + made);
        Path loads = tmp.resolve("class-load.log");
        cmd.set(cmd.indexOf("-Xshare:auto"), "-Xshare:on");
        cmd.add(1, "-Xlog:class+load=info:file=" + loads);
        ExecResult logged = new PartitionExecutor().run(cmd, RunAs.currentUser(dir), Map.of(), Duration.ofMinutes(2));
        assertThat(logged.exitCode()).as(logged.output()).isZero();
        assertThat(Files.readString(loads))
                .containsPattern("org\\.slapgrid\\.node\\.buildout\\.BuildoutMain source: shared objects file")
                .containsPattern("org\\.slapgrid\\.buildout\\.\\S+ source: shared objects file");
    }

    @Test
    void aClasspathWithDirectoriesHasNoArchiveAndChildrenStillRun() {
        NodeRuntime withDirectories = new NodeRuntime(NodeRuntime.current().java(), List.of(tmp));
        assertThat(new ClassDataArchive(withDirectories, tmp.resolve("lib")).ensure()).isNull();
    }

    /** The test classpath with each directory entry packed as a jar, as in production (slapos.jar). */
    private NodeRuntime jarsOnly(NodeRuntime runtime) throws Exception {
        List<Path> out = new java.util.ArrayList<>();
        int i = 0;
        for (Path entry : runtime.classpath()) {
            if (!Files.isDirectory(entry)) {
                out.add(entry);
                continue;
            }
            Path jar = tmp.resolve("cp-" + (i++) + ".jar");
            try (var zip = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); var walk = Files.walk(entry)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    zip.putNextEntry(new java.util.jar.JarEntry(entry.relativize(f).toString()));
                    Files.copy(f, zip);
                    zip.closeEntry();
                }
            }
            out.add(jar);
        }
        return new NodeRuntime(runtime.java(), out);
    }
}
