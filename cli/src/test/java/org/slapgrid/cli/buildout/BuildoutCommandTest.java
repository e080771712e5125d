package org.slapgrid.cli.buildout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.RecipeFactory;
import org.slapgrid.cli.Main;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

class BuildoutCommandTest {

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {
    }

    /** Runs {@code slapos ...} with the test recipe below discoverable through ServiceLoader. */
    private Result slapos(String... args) throws IOException {
        Path services = dir.resolve("services-root/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(RecipeFactory.class.getName()), CliTestRecipe.class.getName() + "\n");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ClassLoader oldLoader = Thread.currentThread().getContextClassLoader();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("services-root").toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Thread.currentThread().setContextClassLoader(loader);
            int status = Main.run(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            Thread.currentThread().setContextClassLoader(oldLoader);
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** {@code cli.test:touch}: writes {@code path}; fails when {@code fail = true}. */
    public static final class CliTestRecipe implements RecipeFactory {
        @Override
        public Set<String> names() {
            return Set.of("cli.test:touch");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            Path p = buildout.directory().resolve(options.required("path"));
            boolean fail = options.get("fail", "false").equals("true");
            return new Recipe() {
                @Override
                public Collection<Path> install() throws IOException {
                    if (fail) {
                        throw new IOException("touch refused");
                    }
                    Files.writeString(p, options.get("content", ""));
                    return List.of(p);
                }

                @Override
                public Collection<Path> update() {
                    return List.of();
                }
            };
        }
    }

    @Test
    void resolveJsonPrintsEverySectionSorted() throws IOException {
        write("base.cfg", "[s]\nl = a\nb = ${:l}-x\n[z]\nk = 1\n");
        Path main = write("buildout.cfg", "[buildout]\nextends = base.cfg\n[s]\nl += c\n[a]\nref = ${s:b}\n");
        Result r = slapos("buildout", "resolve", "--json", "-c", main.toString(), "s:l-=a", "z:k=2");
        assertThat(r.status()).as(r.err()).isZero();
        Map<String, Map<String, String>> json = new ObjectMapper().readValue(r.out(), new TypeReference<>() { });
        assertThat(json.keySet()).containsExactly("a", "buildout", "s", "versions", "z");
        assertThat(json.get("a")).containsEntry("ref", "c-x");
        assertThat(json.get("z")).containsEntry("k", "2");
        assertThat(json.get("buildout")).containsEntry("directory", dir.toString());
        assertThat(r.out().indexOf("\"_profile_base_location_\"")).isLessThan(r.out().indexOf("\"ref\""));
    }

    @Test
    void annotatePrintsValuesAndTheirSources() throws IOException {
        write("base.cfg", "[s]\nl = a\n");
        Path main = write("buildout.cfg", "[buildout]\nextends = base.cfg\n[s]\nl += b\n");
        Result r = slapos("buildout", "annotate", "-c", main.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("\nAnnotated sections\n==================\n\n[buildout]\n")
                .contains("[s]\n_profile_base_location_= " + dir + "\n    buildout.cfg\nl= a\nb\n    base.cfg\n+=  buildout.cfg\n");
        Result only = slapos("buildout", "annotate", "-c", main.toString(), "s", "s:x=1");
        assertThat(only.out()).isEqualTo("\nAnnotated sections\n==================\n\n[s]\n_profile_base_location_= " + dir
                + "\n    buildout.cfg\nl= a\nb\n    base.cfg\n+=  buildout.cfg\nx= 1\n    COMMAND_LINE_VALUE\n");
        Result v = slapos("buildout", "-v", "annotate", "-c", main.toString());
        assertThat(v.out()).contains("l= a\nb\n\n   IN buildout.cfg\n".replace("buildout.cfg", main.toString()));
    }

    @Test
    void installRunsPartsAndPrintsOneLinePerPart() throws IOException {
        Path main = write("buildout.cfg", "[buildout]\nparts = one two\n[one]\nrecipe = cli.test:touch\npath = one.txt\n"
                + "[two]\nrecipe = cli.test:touch\npath = two.txt\ncontent = ${one:path}\n");
        Result r = slapos("buildout", "-c", main.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Installing one.\n", "Installing two.\n");
        assertThat(Files.readString(dir.resolve("two.txt"))).isEqualTo("one.txt");
        Result again = slapos("buildout", "-U", "-c", main.toString(), "-oN", "install");
        assertThat(again.status()).isZero();
        assertThat(again.out()).contains("Updating one.\n", "Updating two.\n");
        Result changed = slapos("buildout", "-c", main.toString(), "two:content=x");
        assertThat(changed.out()).contains("Uninstalling two.\n", "Installing two.\n");
        assertThat(Files.readString(dir.resolve("two.txt"))).isEqualTo("x");
    }

    @Test
    void aFailedPartExitsOne() throws IOException {
        Path main = write("buildout.cfg", "[buildout]\nparts = bad\n[bad]\nrecipe = cli.test:touch\npath = x\nfail = true\n");
        Result r = slapos("buildout", "-c", main.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("Error: [bad]").contains("touch refused");
    }

    @Test
    void badInputExitsTwoWithOneLineNamingFileAndLineAndTouchesNothing() throws IOException {
        Path main = write("buildout.cfg", "[buildout]\nparts = one\n[one]\nrecipe = cli.test:touch\npath = one.txt\n");
        assertThat(slapos("buildout", "-c", main.toString()).status()).isZero();
        String installed = Files.readString(dir.resolve(".installed.cfg"));

        write("buildout.cfg", "[buildout]\nparts = one\n[one]\nrecipe = cli.test:touch\npath = ${nope:x}\n");
        Result missing = slapos("buildout", "-c", main.toString());
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("Error: " + main + ":5: [one] path: The referenced section, 'nope', was not defined.\n");

        write("buildout.cfg", "[buildout]\nparts = one\n[one]\nrecipe = cli.test:nope\npath = one.txt\n");
        Result unknown = slapos("buildout", "-c", main.toString());
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("Error: " + main + ":4: [one] recipe: unknown recipe 'cli.test:nope'\n");

        write("buildout.cfg", "[buildout]\nparts = one\n[one]\nrecipe: cli.test:touch\n");
        Result syntax = slapos("buildout", "-c", main.toString());
        assertThat(syntax.status()).isEqualTo(2);
        assertThat(syntax.err()).isEqualTo("Error: " + main + ":4: File contains parsing errors: " + main
                + " [line  4]: 'recipe: cli.test:touch\\n'\n");

        write("buildout.cfg", "[buildout]\nparts = one\n[one]\nrecipe = cli.test:touch\npath = ${:a}\na = ${:path}\n");
        Result cycle = slapos("buildout", "resolve", "-c", main.toString());
        assertThat(cycle.status()).isEqualTo(2);
        assertThat(cycle.err()).contains(main + ":").contains("Circular reference");

        assertThat(Files.readString(dir.resolve(".installed.cfg"))).isEqualTo(installed);
        assertThat(Files.exists(dir.resolve("one.txt"))).isTrue();
    }

    @Test
    void aMissingProfileAndBadUsageExitTwo() throws IOException {
        Result r = slapos("buildout", "-c", dir.resolve("none.cfg").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("Couldn't open").contains("none.cfg");
        Result usage = slapos("buildout", "--no-such-option");
        assertThat(usage.status()).as("bad usage").isEqualTo(2);
        assertThat(usage.err()).contains("--no-such-option");
        assertThat(slapos("buildout", "resolve", "-c", dir.resolve("none.cfg").toString(), "a:b:c=1").status()).isEqualTo(2);
    }
}
