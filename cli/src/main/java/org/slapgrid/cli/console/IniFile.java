package org.slapgrid.cli.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The few lines of INI that client.cfg needs: {@code [section]}, {@code key = value}, comments
 * with '#' or ';'. Hand-written because the cli module's pom (not ours to change) does not bring
 * commons-configuration2, and a full INI library would be overkill for three keys.
 */
final class IniFile {
    private final Map<String, Map<String, String>> sections = new HashMap<>();

    static IniFile read(Path file) throws IOException {
        IniFile ini = new IniFile();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String section = null;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new IOException(file + ":" + (n + 1) + ": a section header must end with ']'");
                }
                section = line.substring(1, line.length() - 1).strip();
                ini.sections.computeIfAbsent(section, k -> new HashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IOException(file + ":" + (n + 1) + ": expected 'key = value', got '" + line + "'");
            }
            if (section == null) {
                throw new IOException(file + ":" + (n + 1) + ": option '" + line.substring(0, eq).strip() + "' is outside any [section]");
            }
            ini.sections.get(section).put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return ini;
    }

    String get(String section, String key) {
        Map<String, String> s = sections.get(section);
        return s == null ? null : s.get(key);
    }
}
