package org.slapgrid.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aWriteLeavesTheContentWithItsModeAndNoTemporaryFile() throws Exception {
        Path f = tmp.resolve("sub/state.json");
        AtomicFiles.write(f, "{}\n", "rw-------");
        AtomicFiles.write(f, "{\"a\": 1}\n", "rw-r-----");
        assertThat(Files.readString(f)).isEqualTo("{\"a\": 1}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        try (var s = Files.list(f.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void writeIfChangedLeavesAnUnchangedFileAloneAndCorrectsOnlyItsMode() throws Exception {
        Path f = tmp.resolve("out.cfg");
        assertThat(AtomicFiles.writeIfChanged(f, "x = 1\n", 0600)).isTrue();
        FileTime old = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(f, old);
        assertThat(AtomicFiles.writeIfChanged(f, "x = 1\n", 0600)).isFalse();
        assertThat(AtomicFiles.writeIfChanged(f, "x = 1\n", (Integer) null)).as("null keeps the mode").isFalse();
        assertThat(Files.getLastModifiedTime(f)).isEqualTo(old);
        assertThat(AtomicFiles.writeIfChanged(f, "x = 1\n", 0640)).as("a wrong mode is corrected").isTrue();
        assertThat(Files.getLastModifiedTime(f)).as("without rewriting").isEqualTo(old);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        assertThat(AtomicFiles.writeIfChanged(f, "x = 2\n", "rw-------")).isTrue();
        assertThat(Files.readString(f)).isEqualTo("x = 2\n");
        assertThat(AtomicFiles.writeIfChanged(tmp.resolve("new"), "y", (Integer) null)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("new")))).isEqualTo("rw-r--r--");
    }

    @Test
    void deleteTreeRemovesLinksWithoutFollowingThem() throws Exception {
        Path outside = Files.writeString(tmp.resolve("precious"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a"));
        Files.writeString(tree.resolve("f"), "x");
        Files.createSymbolicLink(tree.resolve("link"), outside);
        Files.createSymbolicLink(tmp.resolve("tree/dirlink"), tmp);
        AtomicFiles.deleteTree(tmp.resolve("tree"));
        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(Files.readString(outside)).isEqualTo("keep");
        AtomicFiles.deleteTree(tmp.resolve("absent"));
    }

    @Test
    void symlinkReplacesOnlyLinks() throws Exception {
        Path link = tmp.resolve("l");
        assertThat(AtomicFiles.symlink(link, Path.of("a"))).isTrue();
        assertThat(AtomicFiles.symlink(link, Path.of("a"))).isFalse();
        assertThat(AtomicFiles.symlink(link, Path.of("b"))).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("b"));
        Path file = Files.writeString(tmp.resolve("file"), "");
        assertThatThrownBy(() -> AtomicFiles.symlink(file, Path.of("a"))).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void moveRenamesOverTheTarget() throws Exception {
        Path a = Files.writeString(tmp.resolve("a"), "new");
        Path b = Files.writeString(tmp.resolve("b"), "old");
        AtomicFiles.move(a, b);
        assertThat(a).doesNotExist();
        assertThat(Files.readString(b)).isEqualTo("new");
    }
}
