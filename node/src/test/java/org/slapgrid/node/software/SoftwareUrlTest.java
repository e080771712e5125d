package org.slapgrid.node.software;

import org.slapgrid.slap.SoftwareUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftwareUrlTest {

    @TempDir
    Path dir;

    @Test
    void parsesEveryForm() {
        assertThat(SoftwareUrl.parse("/srv/sr/software.cfg").kind()).isEqualTo(SoftwareUrl.Kind.FILE);
        assertThat(SoftwareUrl.parse("file:///srv/sr/software.cfg").path()).isEqualTo("/srv/sr/software.cfg");
        assertThat(SoftwareUrl.parse("https://h/sr/software.cfg").kind()).isEqualTo(SoftwareUrl.Kind.HTTP);
        SoftwareUrl git = SoftwareUrl.parse("git+https://h/r#v1.2:software-releases/mariadb/software.cfg");
        assertThat(git.kind()).isEqualTo(SoftwareUrl.Kind.GIT);
        assertThat(git.repository()).isEqualTo("https://h/r");
        assertThat(git.ref()).isEqualTo("v1.2");
        assertThat(git.path()).isEqualTo("software-releases/mariadb/software.cfg");
        SoftwareUrl plain = SoftwareUrl.parse("https://h/r.git");
        assertThat(plain.kind()).isEqualTo(SoftwareUrl.Kind.GIT);
        assertThat(plain.ref()).isNull();
        assertThat(plain.path()).isEqualTo("software.cfg");
        assertThat(SoftwareUrl.parse("https://h/r.git#feature/x").ref()).isEqualTo("feature/x");
    }

    @Test
    void theDirectoryIsTheMd5OfTheUrl() {
        // md5("http://example.org/software.cfg"), computed independently with md5sum
        assertThat(SoftwareUrl.parse("http://example.org/software.cfg").directoryName())
                .isEqualTo("bc1395bc61d2561a166c18d50ca3964f");
    }

    @Test
    void rejectsBadUrlsClearly() {
        assertThatThrownBy(() -> SoftwareUrl.parse("ftp://h/x")).hasMessageContaining("ftp://h/x").hasMessageContaining("supported");
        assertThatThrownBy(() -> SoftwareUrl.parse(" /x")).hasMessageContaining("spaces");
        assertThatThrownBy(() -> SoftwareUrl.parse("git+https://h/r#main:../../etc/passwd")).hasMessageContaining("relative path");
        assertThatThrownBy(() -> SoftwareUrl.parse("")).hasMessageContaining("empty");
    }

    @Test
    void fetchesARefAndFollowsItWhenItMoves() throws Exception {
        Path origin = dir.resolve("origin");
        try (Git g = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
            Files.writeString(origin.resolve("software.cfg"), "[buildout]\nparts =\n");
            g.add().addFilepattern(".").call();
            g.commit().setMessage("one").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
            g.tag().setName("v1").call();
            Files.writeString(origin.resolve("software.cfg"), "[buildout]\nparts = two\n");
            g.add().addFilepattern(".").call();
            g.commit().setMessage("two").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
        }
        Path tree = dir.resolve("tree");
        GitFetcher fetcher = new GitFetcher();

        fetcher.fetch(SoftwareUrl.parse("git+" + origin.toUri() + "#v1"), tree);
        assertThat(Files.readString(tree.resolve("software.cfg"))).isEqualTo("[buildout]\nparts =\n");

        fetcher.fetch(SoftwareUrl.parse("git+" + origin.toUri() + "#main"), tree);
        assertThat(Files.readString(tree.resolve("software.cfg"))).isEqualTo("[buildout]\nparts = two\n");

        assertThatThrownBy(() -> fetcher.fetch(SoftwareUrl.parse("git+" + origin.toUri() + "#nope"), tree))
                .isInstanceOf(IOException.class).hasMessageContaining("no ref 'nope'");
    }
}
