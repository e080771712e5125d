package org.slapgrid.buildout.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sections of one file, as the line parser left them: option keys may still carry a
 * trailing {@code " +"} or {@code " -"} (an increment not yet merged with its base).
 *
 * @param name the file path or URL, as shown in messages and annotations
 * @param base the folder (or URL prefix) of the file, used for relative extends and
 *             {@code _profile_base_location_}
 */
public record ParsedFile(String name, String base, Map<String, Map<String, RawValue>> sections) {

    public static ParsedFile empty(String name, String base) {
        return new ParsedFile(name, base, new LinkedHashMap<>());
    }
}
