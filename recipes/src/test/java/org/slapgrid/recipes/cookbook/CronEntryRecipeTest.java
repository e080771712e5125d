package org.slapgrid.recipes.cookbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.slapgrid.recipes.testing.FakeBuildout;
import org.slapgrid.recipes.testing.FakeBuildoutCase;

class CronEntryRecipeTest extends FakeBuildoutCase {

    @Test
    void writesTheEntryOnceAndRewritesOnlyOnChange() throws Exception {
        buildout.section("c", "recipe", "slapos.cookbook:cron.d", "cron-entries", "etc/cron.d", "name", "logrotate",
                "frequency", "0 * * * *", "command", "bin/logrotate -s var/state");
        Path entry = dir.resolve("etc/cron.d/logrotate");
        assertThat(buildout.install("c")).containsExactly(entry);
        assertThat(entry).hasContent("0 * * * * bin/logrotate -s var/state");
        Files.setLastModifiedTime(entry, FileTime.fromMillis(1_000_000_000L));
        assertThat(buildout.update("c")).isEmpty();
        assertThat(Files.getLastModifiedTime(entry).toMillis()).isEqualTo(1_000_000_000L);
        buildout.section("c").put("frequency", "@daily");
        buildout.install("c");
        assertThat(entry).hasContent("@daily bin/logrotate -s var/state");
    }

    @Test
    void onceADayPicksAStableTime() throws Exception {
        buildout.section("c", "recipe", "slapos.cookbook:cron.d", "cron-entries", "cron", "name", "backup",
                "once-a-day", "true", "command", "bin/backup");
        buildout.install("c");
        String first = Files.readString(dir.resolve("cron/backup"));
        assertThat(first).matches("\\d{1,2} \\d{1,2} \\* \\* \\* bin/backup\\n");
        FakeBuildout again = new FakeBuildout(dir);
        again.section("c", "recipe", "slapos.cookbook:cron.d", "cron-entries", "cron", "name", "backup",
                "once-a-day", "true", "command", "bin/backup");
        again.install("c");
        assertThat(dir.resolve("cron/backup")).hasContent(first.strip());
    }

    @Test
    void badInputs() {
        buildout.section("a", "recipe", "slapos.cookbook:cron.d", "cron-entries", "c", "name", "x", "command", "y",
                "frequency", "every minute");
        assertThatThrownBy(() -> buildout.create("a")).hasMessageContaining("[a] frequency");
        buildout.section("b", "recipe", "slapos.cookbook:cron.d", "cron-entries", "c", "name", "../x", "command", "y",
                "frequency", "@daily");
        assertThatThrownBy(() -> buildout.create("b")).hasMessageContaining("[b] name");
        buildout.section("d", "recipe", "slapos.cookbook:cron.d", "cron-entries", "c", "name", "x", "frequency", "@daily");
        assertThatThrownBy(() -> buildout.create("d")).hasMessageContaining("[d] command");
    }
}
