package org.slapgrid.cli.console;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * client.cfg, read by commons-configuration2's {@link INIConfiguration} as the node's slapos.cfg is:
 * {@code [section]}, {@code key = value}, comments with '#' or ';'. The library takes some lines
 * silently that are mistakes in a file of three keys (an unclosed header, a line without '=', an
 * option before any section): those are refused first, naming the file and the line.
 */
final class IniFile {
    private final INIConfiguration ini;

    private IniFile(INIConfiguration ini) {
        this.ini = ini;
    }

    static IniFile read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        refuseMistakes(file, text.lines().toList());
        INIConfiguration ini = new INIConfiguration();
        try (StringReader r = new StringReader(text)) {
            ini.read(r);
        } catch (ConfigurationException e) {
            throw new IOException(file + ": not a valid INI file: " + e.getMessage(), e);
        }
        return new IniFile(ini);
    }

    private static void refuseMistakes(Path file, List<String> lines) throws IOException {
        boolean inSection = false;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw new IOException(file + ":" + (n + 1) + ": a section header must end with ']'");
                }
                inSection = true;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IOException(file + ":" + (n + 1) + ": expected 'key = value', got '" + line + "'");
            }
            if (!inSection) {
                throw new IOException(file + ":" + (n + 1) + ": option '" + line.substring(0, eq).strip() + "' is outside any [section]");
            }
        }
    }

    /** The option's value, null when the section or the option is absent (the last one where it is repeated). */
    String get(String section, String key) {
        if (!ini.getSections().contains(section)) {
            return null;
        }
        List<Object> values = ini.getSection(section).getList(key);
        return values == null || values.isEmpty() ? null : String.valueOf(values.get(values.size() - 1)).strip();
    }
}
