package org.slapgrid.buildout.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slapgrid.buildout.config.Merger;
import org.slapgrid.buildout.config.MergedValue;
import org.slapgrid.buildout.spi.BuildoutException;

/**
 * {@code <=} macro expansion (reference §1.7), on raw values before substitution: the named
 * sections (one per line, each expanded first) are copied in order, then the using section is
 * merged over them with {@code +=}/{@code -=} semantics.
 */
final class Macros {

    private Macros() {
    }

    static Map<String, MergedValue> expand(Resolver resolver, String name, Map<String, MergedValue> data) {
        return expand(resolver, name, data, new ArrayList<>(), null);
    }

    private static Map<String, MergedValue> expand(Resolver resolver, String name, Map<String, MergedValue> data,
                                                   List<String> doing, MergedValue usedBy) {
        if (name.equals("buildout")) {
            return data;
        }
        MergedValue macros = data.get("<");
        if (doing.contains(name)) {
            MergedValue at = usedBy != null ? usedBy : macros;
            throw BuildoutException.configuration(at == null ? null : at.location(), name, "<",
                    "Infinite extending loop '" + name + "' (" + String.join(" <= ", doing) + " <= " + name + ")");
        }
        if (macros == null) {
            return data;
        }
        doing.add(name);
        Map<String, MergedValue> result = new LinkedHashMap<>();
        for (String line : macros.value().split("\n")) {
            String macro = line.strip();
            if (macro.isEmpty()) {
                continue;
            }
            Map<String, MergedValue> macroRaw = resolver.rawSection(macro);
            if (macroRaw == null) {
                throw BuildoutException.configuration(macros.location(), name, "<", "No section named '" + macro + "'");
            }
            result.putAll(expand(resolver, macro, macroRaw, doing, macros));
        }
        Merger.updateSection(result, data);
        result.remove("<");
        doing.remove(doing.size() - 1);
        return result;
    }
}
