package org.slapgrid.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.slapgrid.buildout.Profiles.write;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotateTest {

    @TempDir
    Path dir;

    @Test
    void terseLayoutAsBuildoutAnnotate() {
        write(dir, "base.cfg", "[s]\nl = a\n  b\nr = x\n");
        Path main = write(dir, "buildout.cfg", "[buildout]\nextends = base.cfg\nparts =\n[s]\nl -= a\nl += c\nr = y\ne =\n");
        String out = Buildout.builder(main).assign("s:l+=d").build().annotate();
        assertThat(out).startsWith("\nAnnotated sections\n==================\n\n[buildout]\n_profile_base_location_= " + dir
                + "\n    buildout.cfg\nallow-hosts= *\n    DEFAULT_VALUE\n");
        assertThat(out).contains("\nbin-directory= bin\n    DEFAULT_VALUE\n")
                .contains("\ndirectory= " + dir + "\n    COMPUTED_VALUE\n")
                .contains("\neggs-directory= " + dir + "/eggs\n    DEFAULT_VALUE\n")
                .contains("\nparts=\n    buildout.cfg\n");
        assertThat(out).contains("\n[s]\n_profile_base_location_= " + dir + "\n    buildout.cfg\n"
                + "e=\n    buildout.cfg\n"
                + "l= b\nc\nd\n    base.cfg\n+=  buildout.cfg\n-=  buildout.cfg\n+=  COMMAND_LINE_VALUE\n"
                + "r= y\n    buildout.cfg\n\n[versions]\n");
        assertThat(out).endsWith("[versions]\nzc.buildout= >=3.0.1\n    DEFAULT_VALUE\nzc.recipe.egg= >=2.0.6\n    DEFAULT_VALUE\n");
    }

    @Test
    void verboseLayoutListsEveryStepNewestFirst() {
        write(dir, "base.cfg", "[s]\nl = a\n");
        Path main = write(dir, "buildout.cfg", "[buildout]\nextends = base.cfg\n[s]\nl += b\n");
        String out = Buildout.builder(main).build().annotate(true);
        assertThat(out).contains("\nl= a\nb\n\n   IN " + main + "\n   ADD VALUE = b\n   IN " + dir.resolve("base.cfg")
                + "\n   SET VALUE = a\n\n");
        assertThat(out).contains("\neggs-directory= " + dir + "/eggs\n\n   AS DEFAULT_VALUE\n   DIRECTORY VALUE = " + dir
                + "/eggs\n   AS DEFAULT_VALUE\n   SET VALUE = eggs\n\n");
    }

    @Test
    void optionalExtendsAreSkippedWhenMissing() {
        write(dir, "present.cfg", "[s]\nx = present\n");
        Path main = write(dir, "buildout.cfg", "[buildout]\noptional-extends = missing.cfg present.cfg\n[s]\ny = 1\n");
        assertThat(Profiles.resolve(main).get("s")).containsEntry("x", "present").containsEntry("y", "1");
    }
}
