package org.slapgrid.buildout.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code buildout annotate} (reference §3.3): the merged configuration before macros and
 * substitution, sections and keys sorted, each value followed by where it came from.
 */
public final class Annotator {

    private Annotator() {
    }

    public static String annotate(LoadedConfig config, boolean verbose) {
        return annotate(config, verbose, java.util.Set.of());
    }

    /** Only the {@code chosen} sections (all when empty), as {@code buildout annotate s1 s2}. */
    public static String annotate(LoadedConfig config, boolean verbose, java.util.Set<String> chosen) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append("Annotated sections\n").append("==================\n");
        String basedir = config.directory().toString();
        for (Map.Entry<String, Map<String, MergedValue>> s : new TreeMap<>(config.data()).entrySet()) {
            if (!chosen.isEmpty() && !chosen.contains(s.getKey())) {
                continue;
            }
            out.append('\n').append('[').append(s.getKey()).append("]\n");
            for (Map.Entry<String, MergedValue> e : new TreeMap<>(s.getValue()).entrySet()) {
                keyAndValue(out, e.getKey(), e.getValue().value());
                if (verbose) {
                    verbose(out, e.getValue());
                } else {
                    terse(out, e.getValue(), basedir);
                }
            }
        }
        return out.toString();
    }

    private static void keyAndValue(StringBuilder out, String key, String value) {
        List<String> lines = value.lines().toList();
        if (lines.size() <= 1) {
            out.append(key).append('=');
            if (!value.isEmpty()) {
                out.append(' ').append(value);
            }
            out.append('\n');
        } else {
            out.append(key).append("= ").append(lines.get(0)).append('\n');
            for (int i = 1; i < lines.size(); i++) {
                out.append(lines.get(i)).append('\n');
            }
        }
    }

    /** From the last plain assignment on: {@code "    file"}, {@code "+=  file"}, {@code "-=  file"}. */
    private static void terse(StringBuilder out, MergedValue v, String basedir) {
        List<String> lines = new ArrayList<>();
        List<MergedValue.Step> h = v.history();
        for (int i = h.size() - 1; i >= 0; i--) {
            MergedValue.Step step = h.get(i);
            String source = human(step.source(), basedir);
            switch (step.op()) {
                case ADD -> lines.add("+=  " + source);
                case REMOVE -> lines.add("-=  " + source);
                default -> lines.add("    " + source);
            }
            if (step.op() != MergedValue.Op.ADD && step.op() != MergedValue.Op.REMOVE) {
                break;
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                out.append(lines.get(i)).append('\n');
            }
        }
    }

    private static void verbose(StringBuilder out, MergedValue v) {
        out.append('\n');
        List<MergedValue.Step> h = v.history();
        for (int i = h.size() - 1; i >= 0; i--) {
            MergedValue.Step step = h.get(i);
            String s = step.source();
            boolean computed = s.equals("DEFAULT_VALUE") || s.equals("COMPUTED_VALUE") || s.equals("COMMAND_LINE_VALUE");
            out.append("   ").append(computed ? "AS " : "IN ").append(s).append('\n');
            List<String> lines = step.value().lines().toList();
            if (lines.size() <= 1) {
                out.append("   ").append(step.op()).append(" VALUE = ").append(step.value()).append('\n');
            } else {
                out.append("   ").append(step.op()).append(" VALUE =\n");
                for (String l : lines) {
                    out.append("      ").append(l).append('\n');
                }
            }
        }
        out.append('\n');
    }

    /** Sources under the buildout directory are shown relative to it. */
    static String human(String source, String basedir) {
        if (source.startsWith(basedir) && !ConfigLoader.isUrl(source)) {
            try {
                return Path.of(basedir).relativize(Path.of(source)).toString();
            } catch (IllegalArgumentException e) {
                return source;
            }
        }
        return source;
    }
}
