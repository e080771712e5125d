package org.slapgrid.buildout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slapgrid.buildout.config.ConfigParser;
import org.slapgrid.buildout.spi.BuildoutException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random profiles built from the language's own tokens (so they get deep into the parser,
 * conditions, merging, macros and substitution): whatever the input, the only exception that
 * may leave the engine is {@link BuildoutException}.
 */
class ParserFuzzTest {

    private static final List<String> TOKENS = List.of(
            "[", "]", "s", "t", "buildout", "parts", ":", "=", " += ", " -= ", "<= ", "=> ", "${", "}", "${s:a}",
            "${:b}", "${t:a}", "$$", "$", "\n", "\n", "\n", " ", "  ", "\t", "#", ";", "a", "b", "a = ", "b = ",
            "python3", "python2", " and ", " or ", "not ", "(", ")", "'x'", "\"y\"", "==", "<", " in ",
            "sys.version_info", "platform.machine()", "os.name", "1", ",", ".", "extends", "recipe", "\\x23",
            "_profile_base_location_", "_buildout_section_name_", "{", "é", "\r\n", "directory", "installed",
            "\u0000", "/", "..", "extends = ", "parts-directory");

    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("buildout-fuzz");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Provide
    Arbitrary<String> profiles() {
        return Arbitraries.of(TOKENS).list().ofMinSize(0).ofMaxSize(80).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> noise() {
        return Arbitraries.strings().all().ofMaxLength(200);
    }

    @Property(tries = 200)
    void onlyBuildoutExceptionsEscapeTheEngine(@ForAll("profiles") String text) throws IOException {
        Path cfg = dir.resolve("buildout.cfg");
        Files.writeString(cfg, text);
        try {
            Buildout b = Buildout.builder(cfg).build();
            b.resolveAll();
            b.annotate();
        } catch (BuildoutException expected) {
            // bad input is reported, never crashes
        }
    }

    @Property(tries = 200)
    void onlyBuildoutExceptionsEscapeTheParserOnArbitraryText(@ForAll("noise") String text) {
        try {
            new ConfigParser().parse(text, "fuzz.cfg", "/base");
        } catch (BuildoutException expected) {
            // bad input is reported, never crashes
        }
    }
}
