package org.slapgrid.benchmarks.buildout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slapgrid.buildout.Buildout;
import org.slapgrid.buildout.InstallReport;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.RecipeFactory;

/**
 * The buildout engine against design.md §8: parse and resolve a generated 1,000-section
 * profile (&lt; 50 ms warm), and re-run an unchanged 20-part profile (&lt; 10 ms warm).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Buildout -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BuildoutBenchmark {

    private Path dir;
    private Path bigProfile;
    private Path partsProfile;

    /** A file-writing recipe, registered through the builder so the benchmark needs no recipes module. */
    static final class WriteFile implements RecipeFactory {
        @Override
        public Set<String> names() {
            return Set.of("bench:write");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            Path p = buildout.directory().resolve(options.required("path"));
            String content = options.get("content", "");
            return new Recipe() {
                @Override
                public Collection<Path> install() throws IOException {
                    Files.writeString(p, content);
                    return List.of(p);
                }

                @Override
                public Collection<Path> update() {
                    return List.of();   // promise-based: nothing to do when unchanged
                }
            };
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("buildout-bench");
        bigProfile = writeBigProfile(dir.resolve("big"));
        partsProfile = writePartsProfile(dir.resolve("parts"));
        InstallReport first = Buildout.builder(partsProfile).recipe(new WriteFile()).build().install();
        if (first.parts().size() != 20) {
            throw new IllegalStateException("expected 20 parts, got " + first.parts());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** 1,000 sections over two files: macros, increments across extends, cross-section references. */
    static Path writeBigProfile(Path d) throws IOException {
        Files.createDirectories(d);
        StringBuilder base = new StringBuilder("[macro]\nhost = 127.0.0.1\nport = 8080\nurl = http://${:host}:${:port}/${:_buildout_section_name_}\n");
        StringBuilder main = new StringBuilder("[buildout]\nextends = base.cfg\nparts =\n");
        for (int i = 0; i < 1000; i++) {
            base.append("[s").append(i).append("]\nlist = a\n  b\n");
            main.append("[s").append(i).append("]\n");
            if (i % 2 == 0) {
                main.append("<= macro\nport = ").append(8000 + i).append('\n');
            }
            main.append("list += c").append(i).append('\n')
                    .append("path = ${buildout:directory}/srv/s").append(i).append('\n')
                    .append("prev = ").append(i == 0 ? "none" : "${s" + (i - 1) + ":path}/x").append('\n')
                    .append("escaped = $${not:substituted}\n")
                    .append("block =\n    line one ${:path}\n    line two\n");
        }
        Files.writeString(d.resolve("base.cfg"), base);
        Path p = d.resolve("buildout.cfg");
        Files.writeString(p, main);
        return p;
    }

    static Path writePartsProfile(Path d) throws IOException {
        Files.createDirectories(d);
        StringBuilder b = new StringBuilder("[buildout]\nparts =");
        for (int i = 0; i < 20; i++) {
            b.append("\n  p").append(i);
        }
        b.append("\n[directory]\nhome = ${buildout:directory}\netc = ${:home}/etc\n");
        for (int i = 0; i < 20; i++) {
            b.append("[p").append(i).append("]\nrecipe = bench:write\npath = p").append(i)
                    .append(".conf\ncontent = port ${:port} under ${directory:etc}\nport = ").append(9000 + i).append('\n');
        }
        Path p = d.resolve("buildout.cfg");
        Files.writeString(p, b);
        return p;
    }

    @Benchmark
    public Map<String, Map<String, String>> parseAndResolve1000Sections() {
        return Buildout.builder(bigProfile).build().resolveAll();
    }

    @Benchmark
    public InstallReport rerunUnchanged20Parts() {
        return Buildout.builder(partsProfile).recipe(new WriteFile()).build().install();
    }
}
