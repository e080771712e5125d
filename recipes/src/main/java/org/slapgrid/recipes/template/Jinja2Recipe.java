package org.slapgrid.recipes.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.buildout.spi.SourceLocation;
import org.slapgrid.recipes.support.Json;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.recipe.template:jinja2}: renders a Jinja2 template with Jinjava. The context
 * ({@code context} lines {@code key|section|raw|json|jsonkey|import NAME VALUE}) is read and the
 * template rendered when the part is created, so referenced sections become dependencies and
 * template errors are configuration errors; install and update write the output only if it
 * differs. Undefined names render empty (Jinja2's default); syntax errors name the line.
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
     * Extensions SlapOS profiles name. Jinjava has {@code do} and {@code with} built in; it has no
     * {@code break}/{@code continue}, so a template using them fails with a clear syntax error.
     */
    private static final Set<String> BUILT_IN_EXTENSIONS = Set.of(
            "jinja2.ext.do", "jinja2.ext.loopcontrols", "jinja2.ext.with_", "jinja2.ext.autoescape");

    private final OutputFile output;
    private final Path once;
    private final String rendered;
    private final boolean pinned;

    Jinja2Recipe(BuildoutContext buildout, Options options) {
        this.output = OutputFile.fromOptions(buildout, options);
        String onceOption = options.get("once", "").strip();
        this.once = onceOption.isEmpty() ? null : OptionValues.path(buildout, onceOption);
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
                    yield buildout.section(ref[0]).getObject(ref[1]);
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
                    Map<String, Object> map = new TreeMap<>();
                    for (String key : section.keys()) {
                        map.put(key, section.getObject(key));
                    }
                    yield map;
                }
                case "import" -> switch (value.strip()) {
                    case "json" -> new JsonModule();
                    default -> throw options.error("context", "cannot import module '" + value.strip()
                            + "' (available: json) in '" + line + "'");
                };
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

    /**
     * One Jinjava for every render: building one costs milliseconds and a partition re-run must
     * stay fast. The import-list differs per part, so the locator reads it from the rendering
     * thread.
     */
    private static final ThreadLocal<ImportLocator> IMPORTS = new ThreadLocal<>();
    private static final Jinjava JINJAVA = createJinjava();

    private static Jinjava createJinjava() {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                // Jinjava's strict mode also rejects void calls such as {% do d.update(x) %},
                // which SlapOS templates use, so undefined names render empty as in Jinja2's default.
                .withFailOnUnknownTokens(false)
                .withCharset(StandardCharsets.UTF_8)
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            ImportLocator locator = IMPORTS.get();
            if (locator == null) {
                throw new ResourceNotFoundException("no template '" + name + "' in import-list");
            }
            return locator.getString(name, encoding, interpreter);
        });
        return jinjava;
    }

    /**
     * Rendered outputs by digest of (template, context), for templates without import-list:
     * Jinjava builds its filter and function tables for every scope, which makes a render cost
     * milliseconds, and a partition re-run renders the same templates with the same values.
     * Templates are deterministic functions of their context, so the cache cannot go stale.
     */
    private static final Map<String, String> RENDERED = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > 256;
                }
            });

    private static String render(Options options, TemplateSource source, Map<String, Object> context, Map<String, Path> imports) {
        String delimiter = options.get("import-delimiter", "/");
        String key = imports.isEmpty() ? cacheKey(source.text(), context) : null;
        if (key != null) {
            String cached = RENDERED.get(key);
            if (cached != null) {
                return cached;
            }
        }
        String output = renderNow(options, source, context, imports, delimiter);
        if (key != null) {
            RENDERED.put(key, output);
        }
        return output;
    }

    /** SHA-256 over the template and the context as JSON; null when a value has no JSON form. */
    private static String cacheKey(String template, Map<String, Object> context) {
        Map<String, Object> described = new TreeMap<>();
        for (Map.Entry<String, Object> e : context.entrySet()) {
            Object value = e.getValue();
            described.put(e.getKey(), value instanceof JsonModule ? Map.of("module", "json")
                    : Map.of("class", value == null ? "null" : value.getClass().getName(), "value", value == null ? "" : value));
        }
        try {
            String json = Json.MAPPER.writeValueAsString(described);
            return org.slapgrid.recipes.support.Checksum.hex("SHA-256",
                    (template.length() + "\n" + template + json).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String renderNow(Options options, TemplateSource source, Map<String, Object> context,
                                    Map<String, Path> imports, String delimiter) {
        Map<String, Object> bindings = new HashMap<>();
        context.forEach((k, v) -> bindings.put(k, pythonic(v)));
        RenderResult result;
        IMPORTS.set(new ImportLocator(imports, delimiter));
        try {
            result = JINJAVA.renderForResult(source.text(), bindings);
        } finally {
            IMPORTS.remove();
        }
        List<TemplateError> errors = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (!errors.isEmpty()) {
            TemplateError first = errors.get(0);
            String where = source.fromUrl() ? "" : " (line " + first.getLineno() + ")";
            throw BuildoutException.configuration(
                    source.fromUrl() ? new SourceLocation(source.name(), Math.max(first.getLineno(), 0)) : null,
                    options.sectionName(), source.fromUrl() ? "url" : "inline", "Jinja2 error" + where + ": " + first.getMessage());
        }
        return result.getOutput();
    }

    /**
     * Wraps maps and lists in Jinjava's Python-like collections, so templates written for Jinja2
     * can call {@code dict.update}, {@code list.append} and the like.
     */
    private static Object pythonic(Object value) {
        if (value instanceof Map<?, ?> map) {
            // Keys sorted: iteration order must not vary between runs (Map.of's does), or the
            // output would change and be rewritten with nothing changed.
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), pythonic(v)));
            return new PythonDict(new LinkedHashMap<>(sorted));
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new java.util.ArrayList<>();
            list.forEach(v -> copy.add(pythonic(v)));
            return new PythonList(copy);
        }
        return value;
    }

    /** Serves {@code {% import "NAME" %}} and {@code "NAME/file"} from the import-list. */
    private record ImportLocator(Map<String, Path> imports, String delimiter) implements ResourceLocator {
        @Override
        public String getString(String fullName, Charset encoding, com.hubspot.jinjava.interpret.JinjavaInterpreter interpreter)
                throws IOException {
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
                throw new ResourceNotFoundException("no template '" + fullName + "' in import-list");
            }
            return Files.readString(file, encoding);
        }
    }
}
