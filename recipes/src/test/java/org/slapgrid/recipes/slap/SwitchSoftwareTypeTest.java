package org.slapgrid.recipes.slap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.Buildout;
import org.slapgrid.buildout.InstallReport;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.recipes.support.Json;

/** switch-softwaretype runs the chosen profile as a sub-buildout, through the real engine. */
class SwitchSoftwareTypeTest {

    @TempDir
    Path dir;

    private void instance(String softwareType) throws Exception {
        Files.writeString(dir.resolve("instance.json"), Json.writePretty(Map.of(
                "node-id", "N", "partition-id", "slappart0", "software-type", softwareType,
                "parameters", Map.of("greeting", "hello"))));
    }

    private InstallReport run() {
        return Buildout.builder(dir.resolve("buildout.cfg")).workingDirectory(dir).build().install();
    }

    @Test
    void theInstanceTypeSelectsTheProfileThatRunsAsASubBuildout() throws Exception {
        instance("");
        Files.writeString(dir.resolve("instance-default.cfg"), """
                [buildout]
                parts = config

                [slap-configuration]
                recipe = slapos.cookbook:slapconfiguration

                [config]
                recipe = slapos.recipe.template
                inline = ${slap-configuration:configuration.greeting} from default
                output = ${buildout:directory}/etc/default.txt
                """);
        Files.writeString(dir.resolve("instance-other.cfg"), """
                [buildout]
                parts = config

                [config]
                recipe = slapos.recipe.template
                inline = other
                output = ${buildout:directory}/etc/other.txt
                """);
        Files.writeString(dir.resolve("buildout.cfg"), """
                [buildout]
                parts = switch

                [slap-connection]
                instance-file = instance.json

                [switch]
                recipe = slapos.cookbook:switch-softwaretype
                default = ${buildout:directory}/instance-default.cfg
                other = ${buildout:directory}/instance-other.cfg
                """);
        assertThat(run().outcome("switch")).contains(InstallReport.Outcome.INSTALLED);
        Path output = dir.resolve("etc/default.txt");
        assertThat(output).hasContent("hello from default");
        assertThat(dir.resolve(".installed-switch-softwaretype.cfg")).exists();
        Files.setLastModifiedTime(output, FileTime.fromMillis(1_000_000_000L));

        assertThat(run().outcome("switch")).contains(InstallReport.Outcome.UPDATED);
        assertThat(Files.getLastModifiedTime(output).toMillis()).isEqualTo(1_000_000_000L);

        // Another software type: the sub-buildout uninstalls the old profile's parts.
        instance("other");
        run();
        assertThat(dir.resolve("etc/other.txt")).hasContent("other");
        assertThat(output).doesNotExist();

        instance("unmapped");
        assertThatThrownBy(this::run).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[switch] unmapped").hasMessageContaining("isn't mapped");
    }
}
