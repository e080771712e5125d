package org.slapgrid.buildout.config;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.SourceLocation;
import org.slapgrid.buildout.spi.Words;

/**
 * Reads a profile and everything it extends (reference §1.4-1.6, §1.9), with zc.buildout
 * 3.1.1+'s flattened extends: every file contributes its extends' layers (recursively, in
 * order) and then its own, and the layers are merged left to right over the defaults, then
 * the command-line assignments. A file reached twice through different branches (a diamond)
 * is merged twice; a file on its own include stack is an error.
 */
public final class ConfigLoader {


    /**
     * zc.buildout's {@code _buildout_default_options}. {@code executable} is Python's
     * {@code sys.executable} there: here the Python a Debian python3-zc.buildout would run
     * with, {@code /usr/bin/python3}, or the first {@code python3} on PATH.
     */
    static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("allow-hosts", "*");
        d.put("allow-picked-versions", "true");
        d.put("allow-unknown-extras", "false");
        d.put("bin-directory", "bin");
        d.put("develop-eggs-directory", "develop-eggs");
        d.put("eggs-directory", "eggs");
        d.put("executable", python());
        d.put("find-links", "");
        d.put("install-from-cache", "false");
        d.put("installed", ".installed.cfg");
        d.put("log-format", "");
        d.put("log-level", "INFO");
        d.put("newest", "true");
        d.put("offline", "false");
        d.put("parts-directory", "parts");
        d.put("prefer-final", "true");
        d.put("python", "buildout");
        d.put("show-picked-versions", "false");
        d.put("socket-timeout", "");
        d.put("update-versions-file", "");
        d.put("use-dependency-links", "true");
        DEFAULTS = Map.copyOf(d);
    }

    private static String python() {
        if (java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return "/usr/bin/python3";
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, "python3"))) {
                return Path.of(dir, "python3").toString();
            }
        }
        return "python3";
    }

    /** Pins buildout adds to {@code [versions]} unless the profile pins them. */
    static final Map<String, String> DEFAULT_VERSIONS = Map.of("zc.buildout", ">=3.0.1", "zc.recipe.egg", ">=2.0.6");

    private final ConfigParser parser;
    private HttpClient http;   // created on the first remote extends: it starts threads
    private final Map<String, String> downloaded = new HashMap<>();   // in-run cache of remote files
    private boolean offline;
    private boolean newest = true;
    private Path extendsCache;
    private final List<String> files = new ArrayList<>();

    public ConfigLoader(ConfigParser parser) {
        this.parser = parser;
    }

    public static boolean isUrl(String s) {
        // buildout's ^[a-zA-Z0-9+.-]+:// as a scan: no regular expression to compile at start-up
        // (see ConfigParser.header); ScansTest checks it against the regex.
        int scheme = s.indexOf("://");
        if (scheme <= 0) {
            return false;
        }
        for (int i = 0; i < scheme; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Loads the main file (path or URL) with its extends, then applies the assignments.
     *
     * @param forceOffline {@code -o}: remote extends only from the cache
     * @param cwd          the directory relative paths on the command line are relative to
     */
    public LoadedConfig load(String mainFile, List<Assignment> assignments, boolean forceOffline, Path cwd) {
        String main = mainFile;
        Path directory;
        if (isUrl(main)) {
            directory = cwd.toAbsolutePath().normalize();
        } else {
            Path p = cwd.resolve(main).toAbsolutePath().normalize();
            main = p.toString();
            directory = p.getParent();
        }
        Map<String, Map<String, MergedValue>> data = new LinkedHashMap<>();
        Map<String, MergedValue> buildout = new LinkedHashMap<>();
        new java.util.TreeMap<>(DEFAULTS).forEach((k, v) ->
                buildout.put(k, MergedValue.set(v, SourceLocation.DEFAULT)));
        buildout.put("directory", MergedValue.set(directory.toString(), SourceLocation.COMPUTED));
        data.put("buildout", buildout);

        Map<String, Map<String, MergedValue>> cl = assignmentLayer(assignments);
        Map<String, MergedValue> clBuildout = cl.getOrDefault("buildout", Map.of());
        MergedValue clExtends = clBuildout.get("extends");
        if (clExtends != null) {
            clBuildout.remove("extends");
        }
        offline = forceOffline || "true".equals(valueOf(clBuildout, "offline"));
        String n = valueOf(clBuildout, "newest");
        newest = !offline && !"false".equals(n);
        String cache = valueOf(clBuildout, "extends-cache");
        extendsCache = cache == null || cache.isEmpty() ? null : directory.resolve(cache);

        List<Map<String, Map<String, MergedValue>>> layers = new ArrayList<>();
        open(main, null, null, new ArrayList<>(), layers, true, directory);
        if (clExtends != null) {
            for (String e : Words.split(clExtends.value())) {
                open(e, cwd.toAbsolutePath().toString(), SourceLocation.COMMAND_LINE, new ArrayList<>(), layers, false, directory);
            }
        }
        for (Map<String, Map<String, MergedValue>> layer : layers) {
            Merger.update(data, layer);
        }
        Merger.update(data, cl);

        Map<String, MergedValue> b = data.get("buildout");
        if (!b.containsKey("versions")) {
            b.put("versions", MergedValue.set("versions", SourceLocation.DEFAULT));
            data.computeIfAbsent("versions", k -> new LinkedHashMap<>());
        }
        String versionsSection = b.get("versions").value();
        if (!versionsSection.isEmpty()) {
            Map<String, MergedValue> versions = data.computeIfAbsent(versionsSection, k -> new LinkedHashMap<>());
            DEFAULT_VERSIONS.forEach((k, v) -> versions.putIfAbsent(k, MergedValue.set(v, SourceLocation.DEFAULT)));
        }
        normalisePaths(b, directory);
        return new LoadedConfig(data, directory, List.copyOf(files));
    }

    private static String valueOf(Map<String, MergedValue> section, String key) {
        MergedValue v = section.get(key);
        return v == null ? null : v.value();
    }

    /** download-cache, eggs-directory and extends-cache made absolute, as zc.buildout does while loading. */
    private void normalisePaths(Map<String, MergedValue> b, Path directory) {
        MergedValue dirValue = b.get("directory");
        Path dir = directory;
        if (dirValue != null && !dirValue.value().contains("${")) {
            dir = directory.resolve(expandUser(dirValue.value())).normalize();
            if (!dir.toString().equals(dirValue.value())) {
                b.put("directory", dirValue.directory(dir.toString()));
            }
        }
        for (String name : List.of("download-cache", "eggs-directory", "extends-cache")) {
            MergedValue v = b.get(name);
            if (v == null || v.value().isEmpty() || v.value().contains("${")) {
                continue;
            }
            String value = expandUser(v.value());
            Path p = Path.of(value);
            if (!p.isAbsolute()) {
                String file = v.location().file();
                if (isUrl(file)) {
                    throw BuildoutException.configuration(v.location(), "buildout", name,
                            "Setting \"" + name + "\" to a non absolute location (\"" + value
                                    + "\") within a remote configuration file (\"" + file + "\") is ambiguous.");
                }
                Path base = v.location().line() > 0 ? Path.of(file).getParent() : dir;
                p = base.resolve(p);
            }
            if (!p.normalize().toString().equals(v.value())) {
                b.put(name, v.directory(p.normalize().toString()));
            }
        }
        // bin-, parts-, develop-eggs-directory and installed are made absolute by the engine when it
        // starts (Resolver), not here: buildout's annotate shows them as written.
    }

    private static String expandUser(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return System.getProperty("user.home") + p.substring(1);
        }
        return p;
    }

    private static Map<String, Map<String, MergedValue>> assignmentLayer(List<Assignment> assignments) {
        Map<String, Map<String, MergedValue>> layer = new LinkedHashMap<>();
        for (Assignment a : assignments) {
            Map<String, MergedValue> s = layer.computeIfAbsent(a.section(), k -> new LinkedHashMap<>());
            s.remove(a.key());
            s.put(a.key(), MergedValue.set(a.value(), SourceLocation.COMMAND_LINE));
        }
        return layer;
    }

    /**
     * Appends the layers of {@code name} (its extends first) to {@code layers}.
     *
     * @param base  folder or URL prefix of the extending file; null for the main file
     * @param where the {@code extends} option that named this file (for errors)
     */
    private void open(String name, String base, SourceLocation where, List<String> stack,
                      List<Map<String, Map<String, MergedValue>>> layers, boolean root, Path directory) {
        String filename;
        String fileBase;
        String text;
        if (isUrl(name)) {
            filename = name;
            text = download(filename, where);
            fileBase = filename.substring(0, filename.lastIndexOf('/'));
        } else if (base != null && isUrl(base) && !Path.of(name).isAbsolute()) {
            filename = base + "/" + name;
            text = download(filename, where);
            fileBase = filename.substring(0, filename.lastIndexOf('/'));
        } else {
            Path p = base == null ? Path.of(name) : Path.of(base).resolve(name);
            p = p.toAbsolutePath().normalize();
            filename = p.toString();
            text = readLocal(p, where);
            fileBase = p.getParent() == null ? "/" : p.getParent().toString();
        }
        if (stack.contains(filename)) {
            throw BuildoutException.configuration(where,
                    "Recursive file include: " + filename + " (include stack: " + String.join(" -> ", stack) + ")");
        }
        stack.add(filename);
        files.add(filename);
        ParsedFile parsed = parser.parse(text, filename, fileBase);
        Map<String, RawValue> buildout = parsed.sections().get("buildout");
        RawValue extendsValue = null;
        RawValue optionalExtends = null;
        if (buildout != null) {
            if (buildout.containsKey("extended-by")) {
                throw BuildoutException.configuration(buildout.get("extended-by").location(), "buildout", "extended-by",
                        "No-longer supported \"extended-by\" option found in " + filename + ".");
            }
            extendsValue = buildout.remove("extends");
            optionalExtends = buildout.remove("optional-extends");
            if (root) {
                rootDownloadOptions(buildout, directory);
            }
        }
        if (extendsValue != null) {
            for (String e : Words.split(extendsValue.value())) {
                open(e, fileBase, extendsValue.location(), stack, layers, false, directory);
            }
        }
        if (optionalExtends != null) {
            for (String e : Words.split(optionalExtends.value())) {
                Path p = isUrl(fileBase) ? null : Path.of(fileBase).resolve(e);
                if (p != null && Files.exists(p)) {
                    open(p.toString(), fileBase, optionalExtends.location(), stack, layers, false, directory);
                }
            }
        }
        layers.add(toLayer(parsed));
        stack.remove(stack.size() - 1);
    }

    /** The root file's own [buildout] options steer downloads (as buildout's dl_options). */
    private void rootDownloadOptions(Map<String, RawValue> buildout, Path directory) {
        RawValue off = buildout.get("offline");
        if (off != null && off.value().equals("true")) {
            offline = true;
            newest = false;
        }
        RawValue nw = buildout.get("newest");
        if (nw != null && nw.value().equals("false")) {
            newest = false;
        }
        RawValue cache = buildout.get("extends-cache");
        if (extendsCache == null && cache != null && !cache.value().isEmpty() && !cache.value().contains("${")) {
            extendsCache = directory.resolve(cache.value());
        }
    }

    private static Map<String, Map<String, MergedValue>> toLayer(ParsedFile parsed) {
        Map<String, Map<String, MergedValue>> layer = new LinkedHashMap<>();
        parsed.sections().forEach((section, options) -> {
            Map<String, MergedValue> s = new LinkedHashMap<>();
            options.forEach((k, v) -> s.put(k, MergedValue.set(v.value(), v.location(), parsed.name())));
            layer.put(section, s);
        });
        return layer;
    }

    private static String readLocal(Path p, SourceLocation where) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw BuildoutException.configuration(where, "Couldn't open " + p);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw BuildoutException.configuration(where, "Couldn't read " + p + ": " + e.getMessage());
        }
    }

    /** Fetches a URL: in-run memory, then (offline or not newest) the extends-cache, then the network. */
    private String download(String url, SourceLocation where) {
        String known = downloaded.get(url);
        if (known != null) {
            return known;
        }
        Path cached = extendsCache == null ? null : extendsCache.resolve(md5(url));
        String text;
        if (url.startsWith("file:")) {
            try {
                text = readLocal(Path.of(URI.create(url)), where);
            } catch (IllegalArgumentException e) {
                throw BuildoutException.configuration(where, "invalid URL " + url + ": " + e.getMessage());
            }
        } else if (cached != null && Files.isRegularFile(cached) && (offline || !newest)) {
            text = readLocal(cached, where);
        } else if (offline) {
            throw BuildoutException.configuration(where, "Couldn't download '" + url + "' in offline mode.");
        } else {
            text = fetch(url, cached, where);
        }
        downloaded.put(url, text);
        return text;
    }

    private String fetch(String url, Path cached, SourceLocation where) {
        try {
            if (http == null) {
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                        .followRedirects(HttpClient.Redirect.NORMAL).build();
            }
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (resp.statusCode() / 100 != 2) {
                throw new IOException("HTTP status " + resp.statusCode());
            }
            String body = resp.body();
            if (cached != null) {
                org.slapgrid.files.AtomicFiles.write(cached, body, "rw-------");
            }
            return body;
        } catch (IOException | IllegalArgumentException e) {
            if (cached != null && Files.isRegularFile(cached)) {
                return readLocal(cached, where);
            }
            throw BuildoutException.configuration(where, "Couldn't download '" + url + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BuildoutException.configuration(where, "interrupted while downloading '" + url + "'");
        }
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
