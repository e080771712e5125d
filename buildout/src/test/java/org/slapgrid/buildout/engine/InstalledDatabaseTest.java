package org.slapgrid.buildout.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledDatabaseTest {

    @Test
    void valuesAreEncodedAsBuildoutDoes() {
        assertThat(InstalledDatabase.encode(" leading space")).isEqualTo("%(__buildout_space__)sleading space");
        assertThat(InstalledDatabase.encode("\nstarts with nl")).isEqualTo("%(__buildout_space_n__)sstarts with nl");
        assertThat(InstalledDatabase.encode("x\n\ny")).isEqualTo("x\n\t%(__buildout_space_n__)sy");
        assertThat(InstalledDatabase.encode("line1  \n  line2"))
                .isEqualTo("line1%(__buildout_space__)s%(__buildout_space__)s\n\t%(__buildout_space__)s%(__buildout_space__)sline2");
        assertThat(InstalledDatabase.encode("a\nb")).isEqualTo("a\n\tb");
        assertThat(InstalledDatabase.encode("plain")).isEqualTo("plain");
    }

    @Test
    void aWrittenStateReadsBackExactly(@TempDir Path dir) throws IOException {
        Map<String, String> a = new TreeMap<>(Map.of("c", " leading space", "e", "\nstarts with nl", "g", "x\n\ny",
                "j", "line1  \n  line2", "tab", "a\tb", "recipe", "r:x", "__buildout_installed__", "/p/1\n/p/2",
                "empty", "", "trailing", "end\n"));
        Map<String, String> b = new TreeMap<>(Map.of("recipe", "r", "__buildout_installed__", ""));
        InstalledDatabase.State state = new InstalledDatabase.State(List.of("weird/name.x", "b"),
                Map.of("weird/name.x", a, "b", b));
        Path file = dir.resolve(".installed.cfg");
        InstalledDatabase.write(file, state);
        InstalledDatabase.State back = InstalledDatabase.read(file);
        assertThat(back.parts()).containsExactly("weird/name.x", "b");
        assertThat(back.options().get("weird/name.x")).isEqualTo(a);
        assertThat(back.options().get("b")).isEqualTo(b);
        assertThat(Files.readString(file)).startsWith("[buildout]\nparts = weird/name.x b\n\n[weird/name.x]\n__buildout_installed__ = /p/1\n\t/p/2\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);   // no temporary file left behind
        }
    }

    @Test
    void anEmptyStateRemovesTheFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve(".installed.cfg"), "[buildout]\nparts = a\n\n[a]\nrecipe = r\n");
        assertThat(InstalledDatabase.read(file).parts()).containsExactly("a");
        InstalledDatabase.write(file, InstalledDatabase.State.empty());
        assertThat(file).doesNotExist();
        assertThat(InstalledDatabase.read(file).parts()).isEmpty();
    }
}
