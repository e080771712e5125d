package org.slapgrid.buildout.testrecipes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.RecipeFactory;

/**
 * Tiny recipes for lifecycle tests, registered through
 * {@code META-INF/services/org.slapgrid.buildout.spi.RecipeFactory} in test scope only.
 * <ul>
 * <li>{@code test.recipes:mkdir} ({@code path}): creates a directory, returns it;</li>
 * <li>{@code test.recipes:file} ({@code path}, {@code content}): writes a file, returns it;
 *     update rewrites it only if the content differs and returns nothing;</li>
 * <li>{@code test.recipes:data} ({@code path}): creates a directory and returns nothing (kept on uninstall);</li>
 * <li>{@code test.recipes:computed}: sets {@code computed = <section>-computed} and a volatile {@code secret};</li>
 * <li>{@code test.recipes:fail}: install fails when {@code fail-install = true}, update when {@code fail-update = true}
 *     or when the file {@code fail-update.flag} exists in the buildout directory.</li>
 * </ul>
 * Every call is appended to {@link #EVENTS} as "install part", "update part", "uninstall part".
 */
public final class TestRecipes implements RecipeFactory {

    public static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();

    @Override
    public Set<String> names() {
        return Set.of("test.recipes:mkdir", "test.recipes:file", "test.recipes:data", "test.recipes:computed",
                "test.recipes:fail", "test.recipes");
    }

    @Override
    public Recipe create(BuildoutContext buildout, String name, Options options) {
        String part = options.sectionName();
        String kind = name.contains(":") ? name.substring(name.indexOf(':') + 1) : "file";
        return switch (kind) {
            case "mkdir" -> {
                Path p = buildout.directory().resolve(options.required("path"));
                yield new Recipe() {
                    @Override
                    public Collection<Path> install() throws IOException {
                        EVENTS.add("install " + part);
                        Files.createDirectories(p);
                        return List.of(p);
                    }

                    @Override
                    public Collection<Path> update() {
                        EVENTS.add("update " + part);
                        return List.of();
                    }
                };
            }
            case "data" -> {
                Path p = buildout.directory().resolve(options.required("path"));
                yield () -> {
                    EVENTS.add("install " + part);
                    Files.createDirectories(p);
                    return List.of();
                };
            }
            case "computed" -> {
                options.put("computed", part + "-computed");
                options.putVolatile("secret", "s3cret-" + part);
                options.putObject("structured", Map.of("b", List.of(2, 1), "a", true));
                yield () -> {
                    EVENTS.add("install " + part);
                    return List.of();
                };
            }
            case "fail" -> new Recipe() {
                @Override
                public Collection<Path> install() throws IOException {
                    EVENTS.add("install " + part);
                    Path p = buildout.directory().resolve(options.get("path", part + ".out"));
                    Files.writeString(p, "x");
                    if (options.get("fail-install", "false").equals("true")) {
                        throw new IOException("asked to fail");
                    }
                    return List.of(p);
                }

                @Override
                public Collection<Path> update() throws IOException {
                    EVENTS.add("update " + part);
                    if (options.get("fail-update", "false").equals("true")
                            || Files.exists(buildout.directory().resolve("fail-update.flag"))) {
                        throw new IOException("asked to fail on update");
                    }
                    return List.of();
                }
            };
            default -> {
                Path p = buildout.directory().resolve(options.required("path"));
                String content = options.get("content", "");
                yield new Recipe() {
                    @Override
                    public Collection<Path> install() throws IOException {
                        EVENTS.add("install " + part);
                        Files.createDirectories(p.toAbsolutePath().getParent());
                        Files.writeString(p, content, StandardCharsets.UTF_8);
                        return List.of(p);
                    }

                    @Override
                    public Collection<Path> update() throws IOException {
                        EVENTS.add("update " + part);
                        if (!Files.exists(p) || !Files.readString(p).equals(content)) {
                            Files.writeString(p, content, StandardCharsets.UTF_8);
                        }
                        return List.of();
                    }
                };
            }
        };
    }

    @Override
    public void uninstall(String part, Map<String, String> savedOptions, Path buildoutDirectory) {
        EVENTS.add("uninstall " + part);
    }
}
