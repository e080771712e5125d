package org.slapgrid.recipes.template.jinja;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differential cases of {@code src/test/resources/jinja2/cases.txt}. Format: a case starts
 * with {@code === name}; directive lines follow ({@code @context JSON}, {@code @import ALIAS
 * MODULE}, {@code @file NAME} ... {@code @end}, {@code @no-eol}, {@code @skip REASON}); the rest,
 * up to the next case with trailing blank lines removed, is the template, ending in a newline
 * (which Jinja2 drops) unless {@code @no-eol}.
 */
record DifferentialCases(List<Case> cases) {

    record Case(String name, String template, String context, Map<String, String> imports,
                Map<String, String> files, String skip) {
    }

    static DifferentialCases load(String resource) throws IOException {
        String text;
        try (InputStream in = DifferentialCases.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length && !lines[i].startsWith("=== ")) {
            i++;
        }
        while (i < lines.length) {
            String name = lines[i++].substring(4).strip();
            String context = "{}";
            Map<String, String> imports = new LinkedHashMap<>();
            Map<String, String> files = new LinkedHashMap<>();
            String skip = null;
            boolean eol = true;
            while (i < lines.length && lines[i].startsWith("@")) {
                String d = lines[i++];
                if (d.startsWith("@context ")) {
                    context = d.substring(9);
                } else if (d.startsWith("@import ")) {
                    String[] p = d.substring(8).strip().split("\\s+");
                    imports.put(p[0], p[1]);
                } else if (d.startsWith("@file ")) {
                    StringBuilder f = new StringBuilder();
                    while (!lines[i].equals("@end")) {
                        f.append(lines[i++]).append('\n');
                    }
                    i++;
                    files.put(d.substring(6).strip(), f.toString());
                } else if (d.equals("@no-eol")) {
                    eol = false;
                } else if (d.startsWith("@skip ")) {
                    skip = d.substring(6);
                } else {
                    throw new IllegalArgumentException("case " + name + ": unknown directive " + d);
                }
            }
            List<String> body = new ArrayList<>();
            while (i < lines.length && !lines[i].startsWith("=== ")) {
                body.add(lines[i++]);
            }
            while (!body.isEmpty() && body.get(body.size() - 1).isBlank()) {
                body.remove(body.size() - 1);
            }
            String template = String.join("\n", body) + (eol ? "\n" : "");
            cases.add(new Case(name, template, context, imports, files, skip));
        }
        return new DifferentialCases(cases);
    }
}
