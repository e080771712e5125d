package org.slapgrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class MainTest {

    @Test
    void eachVerbIsNamedAsItsCommand() throws Exception {
        for (Main.Verb v : Main.VERBS) {
            assertThat(Class.forName(v.className()).getAnnotation(Command.class).name()).as(v.className()).isEqualTo(v.name());
        }
    }

    @Test
    void aVerbRunsAloneAndHelpListsThemAll() {
        assertThat(Main.commandLine("buildout", "-c", "x.cfg").getSubcommands()).containsOnlyKeys("buildout");
        assertThat(Main.commandLine("--help").getSubcommands()).hasSize(Main.VERBS.size() + 1).containsKey("help");
        Object node = Main.commandLine("help", "node").getSubcommands().get("node").getCommand();
        assertThat(node).isInstanceOf(org.slapgrid.cli.node.NodeCommand.class);
        int status = Main.run("no-such-verb");
        assertThat(status).isEqualTo(ExitCode.USAGE);
    }
}
