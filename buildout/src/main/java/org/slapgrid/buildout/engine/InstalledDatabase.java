package org.slapgrid.buildout.engine;

import org.slapgrid.files.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slapgrid.buildout.config.ConfigParser;
import org.slapgrid.buildout.config.ParsedFile;
import org.slapgrid.buildout.config.RawValue;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.Words;

/**
 * {@code .installed.cfg} (reference §2.8): one {@code [buildout]} section with {@code parts},
 * then one section per installed part with its options sorted, in buildout's value encoding.
 * Written atomically (temp file, fsync, rename), so a crash leaves the old or the new file.
 */
public final class InstalledDatabase {

    public static final String INSTALLED = "__buildout_installed__";
    public static final String SIGNATURE = "__buildout_signature__";

    /** Compiled at the first write: an unchanged re-run only reads this file (see {@link Words}). */
    private static final class Encoding {
        static final Pattern SPACEY_NL = Pattern.compile(
                "[ \\t\\r\\f\\u000B]*\\n[ \\t\\r\\f\\u000B\\n]*|^[ \\t\\r\\f\\u000B]+|[ \\t\\r\\f\\u000B]+$");
    }

    private static final String[][] SPACEY = {
            {"%(__buildout_space__)s", " "},
            {"%(__buildout_space_n__)s", "\n"},
            {"%(__buildout_space_r__)s", "\r"},
            {"%(__buildout_space_f__)s", "\f"},
            {"%(__buildout_space_v__)s", "\u000B"},
    };

    /** Installed parts in install order, each with its saved options. */
    public record State(List<String> parts, Map<String, Map<String, String>> options) {
        public static State empty() {
            return new State(List.of(), Map.of());
        }
    }

    private InstalledDatabase() {
    }

    public static State read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return State.empty();
        } catch (IOException e) {
            throw BuildoutException.configuration(null, "cannot read " + file + ": " + e.getMessage());
        }
        ParsedFile parsed = new ConfigParser().parse(text, file.toString(), null);
        Map<String, Map<String, String>> options = new LinkedHashMap<>();
        parsed.sections().forEach((section, values) -> {
            Map<String, String> m = new TreeMap<>();
            for (Map.Entry<String, RawValue> e : values.entrySet()) {
                m.put(e.getKey(), decode(e.getValue().value()));
            }
            options.put(section, m);
        });
        Map<String, String> b = options.remove("buildout");
        List<String> parts = new ArrayList<>();
        if (b != null && b.get("parts") != null) {
            for (String p : Words.split(b.get("parts"))) {
                if (options.containsKey(p)) {
                    parts.add(p);
                }
            }
        }
        return new State(parts, options);
    }

    /** The file's text for {@code state}. */
    public static String render(State state) {
        StringBuilder b = new StringBuilder();
        b.append("[buildout]\n");
        option(b, "parts", String.join(" ", state.parts()));
        for (String part : state.parts()) {
            b.append("\n[").append(part).append("]\n");
            new TreeMap<>(state.options().get(part)).forEach((k, v) -> option(b, k, v));
        }
        return b.toString();
    }

    /** Writes atomically; removes the file when no part is installed any more. */
    public static void write(Path file, State state) {
        try {
            if (state.parts().isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            writeAtomically(file, render(state));
        } catch (IOException e) {
            throw BuildoutException.failure(null, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Durably and atomically (temp file, fsync, rename, fsync of the directory): {@link AtomicFiles}. */
    static void writeAtomically(Path file, String text) throws IOException {
        AtomicFiles.write(file, text, "rw-------"); // as createTempFile made it
    }

    private static void option(StringBuilder b, String name, String value) {
        b.append(name).append(" = ").append(encode(value)).append('\n');
    }

    /** buildout's {@code _save_option} encoding of blanks at line ends and of newlines. */
    static String encode(String value) {
        Matcher m = Encoding.SPACEY_NL.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] pieces = m.group().split("\n", 2);
            StringBuilder rep = new StringBuilder();
            for (int i = 0; i < pieces.length; i++) {
                if (i > 0) {
                    rep.append("\n\t");
                }
                rep.append(pieces[i].replace(" ", "%(__buildout_space__)s")
                        .replace("\r", "%(__buildout_space_r__)s")
                        .replace("\f", "%(__buildout_space_f__)s")
                        .replace("\u000B", "%(__buildout_space_v__)s")
                        .replace("\n", "%(__buildout_space_n__)s"));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(rep.toString()));
        }
        m.appendTail(out);
        String v = out.toString();
        if (v.startsWith("\n\t")) {
            v = "%(__buildout_space_n__)s" + v.substring(2);
        }
        if (v.endsWith("\n\t")) {
            v = v.substring(0, v.length() - 2) + "%(__buildout_space_n__)s";
        }
        return v;
    }

    /** The value as it reads back after being written to the file. */
    static String roundTrip(String value) {
        ParsedFile parsed = new ConfigParser().parse("[x]\nv = " + encode(value) + "\n", "round-trip", null);
        RawValue v = parsed.sections().get("x").get("v");
        return v == null ? null : decode(v.value());
    }

    static String decode(String value) {
        if (!value.contains("%(")) {
            return value;
        }
        String v = value;
        for (String[] s : SPACEY) {
            v = v.replace(s[0], s[1]);
        }
        return v;
    }
}
