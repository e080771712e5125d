package org.slapgrid.node.buildout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void theCurrentRuntimeIsThisJvmAndItsClasspath() throws Exception {
        NodeRuntime r = NodeRuntime.current();
        assertThat(r.java()).exists();
        assertThat(r.classpath()).isNotEmpty();
        // the node's own classes, wherever the checkout is (its folder name is no longer "slapgrid")
        String nodeClasses = Path.of(NodeRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        assertThat(r.classpathString()).contains(nodeClasses);
    }

    @Test
    void copiesOnlyWhatOthersCannotReadAndKeepsItFresh() throws IOException {
        Path hidden = dir.resolve("private");
        Files.createDirectories(hidden.resolve("classes/org"));
        Files.writeString(hidden.resolve("classes/org/A.class"), "a");
        Files.writeString(hidden.resolve("lib.jar"), "jar");
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        Path open = dir.resolve("open.jar");
        Files.writeString(open, "open");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));

        NodeRuntime r = new NodeRuntime(Path.of("/usr/bin/java"), List.of(hidden.resolve("classes"), hidden.resolve("lib.jar"), open));
        NodeRuntime copy = r.readableCopy(dir.resolve("lib"));

        assertThat(copy.classpath().get(2)).isEqualTo(open);
        assertThat(copy.classpath().get(0)).startsWith(dir.resolve("lib"));
        assertThat(copy.classpath().get(0).resolve("org/A.class")).hasContent("a");
        assertThat(copy.classpath().get(1)).hasContent("jar");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.classpath().get(1)))).isEqualTo("rw-r--r--");

        Files.writeString(hidden.resolve("lib.jar"), "jar v2");
        Files.setLastModifiedTime(hidden.resolve("lib.jar"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertThat(r.readableCopy(dir.resolve("lib")).classpath().get(1)).hasContent("jar v2");
    }
}
