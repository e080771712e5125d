package org.slapgrid.recipes.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.SourceLocation;
import org.slapgrid.recipes.support.Json;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;
import org.slapgrid.recipes.template.jinja.Jinja2;
import org.slapgrid.recipes.template.jinja.TemplateError;

/**
 * {@code slapos.recipe.template:jinja2}: renders a Jinja2 template as slapos.recipe.template does
 * (see {@link Jinja2}). The context ({@code context} lines
 * {@code key|section|raw|json|jsonkey|import NAME VALUE}) is read and the template rendered when
 * the part is created, so referenced sections become dependencies and template errors are
 * configuration errors naming the template (or part and option), line and construct; install
 * and update write the output only if it differs.
 */
public final class Jinja2Recipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.recipe.template:jinja2");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new Jinja2Recipe(buildout, options);
        }
    }

    /**
     * Extensions SlapOS profiles name: {@code do} and {@code break}/{@code continue} are always on
     * (slapos.recipe.template enables them), {@code with} is built into Jinja2 3, autoescape is off.
     */
    private static final Set<String> BUILT_IN_EXTENSIONS = Set.of(
            "jinja2.ext.do", "jinja2.ext.loopcontrols", "jinja2.ext.with_", "jinja2.ext.autoescape");

    private final OutputFile output;
    private final Path once;
    private final String rendered;
    private final boolean pinned;

    Jinja2Recipe(BuildoutContext buildout, Options options) {
        this.output = OutputFile.fromOptions(buildout, options);
        this.once = OptionValues.optionalPath(buildout, options, "once").orElse(null);
        this.pinned = options.has("md5sum");
        for (String extension : OptionValues.words(options, "extensions")) {
            if (!BUILT_IN_EXTENSIONS.contains(extension)) {
                throw options.error("extensions", "unsupported Jinja2 extension '" + extension
                        + "' (supported: " + new java.util.TreeSet<>(BUILT_IN_EXTENSIONS) + ")");
            }
        }
        if (once != null && Files.exists(once)) {
            this.rendered = null;
            return;
        }
        TemplateSource source = TemplateSource.read(buildout, options);
        Map<String, Object> context = context(buildout, options);
        Map<String, Path> imports = importList(buildout, options);
        this.rendered = render(options, source, context, imports);
    }

    @Override
    public Collection<Path> install() throws Exception {
        if (rendered == null) {
            return List.of();
        }
        output.write(rendered);
        return output.paths();
    }

    @Override
    public Collection<Path> update() throws Exception {
        if (rendered != null && !pinned) {
            output.write(rendered);
        }
        return List.of();
    }

    private static Map<String, Object> context(BuildoutContext buildout, Options options) {
        Map<String, Object> context = new HashMap<>();
        for (String line : OptionValues.lines(options, "context")) {
            String[] parts = line.split("\\s+", 3);
            if (parts.length < 2) {
                throw options.error("context", "expected 'TYPE NAME VALUE', got '" + line + "'");
            }
            String type = parts[0];
            String name = parts[1];
            String value = parts.length > 2 ? parts[2] : "";
            context.put(name, switch (type) {
                case "raw" -> value;
                case "key" -> {
                    String[] ref = reference(options, line, value);
                    yield Jinja2.fromOption(buildout.section(ref[0]).getObject(ref[1]));
                }
                case "jsonkey" -> {
                    String[] ref = reference(options, line, value);
                    yield parseJson(options, line, buildout.section(ref[0]).get(ref[1]));
                }
                case "json" -> parseJson(options, line, value);
                case "section" -> {
                    if (value.isBlank() || !buildout.hasSection(value.strip())) {
                        throw options.error("context", "no section [" + value.strip() + "] in '" + line + "'");
                    }
                    Options section = buildout.section(value.strip());
                    // In the section's own order, as buildout's Options iterates (file order, then
                    // options recipes added).
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (String key : section.keys()) {
                        map.put(key, section.getObject(key));
                    }
                    yield map;
                }
                case "import" -> {
                    Object module = Jinja2.module(value.strip());
                    if (module == null) {
                        throw options.error("context", "cannot import module '" + value.strip()
                                + "' (available: " + new java.util.TreeSet<>(Jinja2.modules()) + ") in '" + line + "'");
                    }
                    yield module;
                }
                default -> throw options.error("context", "unknown context type '" + type
                        + "' (expected key, section, raw, json, jsonkey or import) in '" + line + "'");
            });
        }
        return context;
    }

    private static String[] reference(Options options, String line, String value) {
        String ref = value.strip();
        int colon = ref.indexOf(':');
        if (colon < 0 || colon == ref.length() - 1 || ref.contains(" ")) {
            throw options.error("context", "expected section:option, got '" + ref + "' in '" + line + "'");
        }
        String section = colon == 0 ? options.sectionName() : ref.substring(0, colon);
        return new String[] {section, ref.substring(colon + 1)};
    }

    private static Object parseJson(Options options, String line, String text) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw options.error("context", "invalid JSON in '" + line + "': " + e.getOriginalMessage());
        }
    }

    /** {@code import-list} lines: {@code rawfile|file NAME path} and {@code rawfolder|folder NAME path}. */
    private static Map<String, Path> importList(BuildoutContext buildout, Options options) {
        Map<String, Path> imports = new LinkedHashMap<>();
        for (String line : OptionValues.lines(options, "import-list")) {
            String[] parts = line.split("\\s+", 3);
            if (parts.length != 3) {
                throw options.error("import-list", "expected 'TYPE NAME PATH', got '" + line + "'");
            }
            String location = switch (parts[0]) {
                case "rawfile", "rawfolder" -> parts[2];
                case "file", "folder" -> {
                    String[] ref = reference(options, line, parts[2]);
                    yield buildout.section(ref[0]).get(ref[1]);
                }
                default -> throw options.error("import-list", "unknown import type '" + parts[0]
                        + "' (expected rawfile, file, rawfolder or folder)");
            };
            Path path = OptionValues.path(buildout, location.strip());
            boolean folder = parts[0].endsWith("folder");
            if (folder ? !Files.isDirectory(path) : !Files.isRegularFile(path)) {
                throw options.error("import-list", (folder ? "no directory " : "no file ") + path + " for '" + line + "'");
            }
            imports.put(parts[1] + (folder ? "/" : ""), path);
        }
        return imports;
    }

    private static String render(Options options, TemplateSource source, Map<String, Object> context, Map<String, Path> imports) {
        ImportLocator locator = new ImportLocator(imports, options.get("import-delimiter", "/"));
        try {
            return Jinja2.slapos().render(source.name(), source.text(), context, locator);
        } catch (TemplateError e) {
            // In the template itself: its file and line (inline: the line); in an imported one: its name too.
            boolean here = source.name().equals(e.template());
            String what = "Jinja2 " + e.kind() + ": " + e.detail();
            throw BuildoutException.configuration(
                    here && source.fromUrl() ? new SourceLocation(source.name(), Math.max(e.line(), 0)) : null,
                    options.sectionName(), source.fromUrl() ? "url" : "inline",
                    !here ? "Jinja2 error in " + e.getMessage() : source.fromUrl() ? what : "line " + e.line() + ": " + what);
        }
    }

    /** Serves {@code {% import "NAME" %}} and {@code "NAME/file"} from the import-list. */
    private record ImportLocator(Map<String, Path> imports, String delimiter) implements Jinja2.Loader {
        @Override
        public String load(String fullName) {
            Path file = imports.get(fullName);
            if (file == null) {
                int cut = fullName.indexOf(delimiter);
                if (cut > 0) {
                    Path folder = imports.get(fullName.substring(0, cut) + "/");
                    if (folder != null) {
                        Path candidate = folder.resolve(fullName.substring(cut + delimiter.length())).normalize();
                        if (candidate.startsWith(folder)) {
                            file = candidate;
                        }
                    }
                }
            }
            if (file == null || !Files.isRegularFile(file)) {
                return null;
            }
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
