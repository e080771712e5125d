package org.slapgrid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** {@code slapos --help} without picocli prints what picocli prints, plain and in colour. */
class TopHelpTest {

    private static String picocli(Ansi ansi) {
        CommandLine cl = Main.commandLine("--help");
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        StringWriter text = new StringWriter();
        cl.usage(new PrintWriter(text, true), CommandLine.Help.defaultColorScheme(ansi));
        return text.toString();
    }

    @Test
    void isPicoclisUsageHelp() {
        assertThat(TopHelp.render(false)).isEqualTo(picocli(Ansi.OFF));
        assertThat(TopHelp.render(true)).isEqualTo(picocli(Ansi.ON));
    }

    @Test
    void eachVerbsSummaryIsTheFirstLineOfItsDescription() throws Exception {
        for (Main.Verb v : Main.VERBS) {
            String[] description = Class.forName(v.className()).getAnnotation(CommandLine.Command.class).description();
            assertThat(v.summary()).as(v.name()).isEqualTo(description[0]);
        }
    }
}
