package org.slapgrid.node.compliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compliance module on the node: the executable {@code S<NN>-<name>} (seed 002 writes
 * {@code 50-spdc.packages}; the leading S is optional as in OpenSVC), module {@code name},
 * run in the order of {@code NN}.
 */
public record ModuleFile(String name, int order, Path path) {

    /** Where a release puts its modules: {@code <release tree>/compliance/}. */
    public static final String DIRECTORY = "compliance";

    private static final Pattern NAME = Pattern.compile("S?(\\d{1,6})-([A-Za-z0-9][A-Za-z0-9._-]{0,127})");
    static final Comparator<ModuleFile> ORDER = Comparator.comparingInt(ModuleFile::order).thenComparing(ModuleFile::name);

    /** The modules of a directory (regular executable files so named), in run order; none if it is absent. */
    public static List<ModuleFile> in(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<ModuleFile> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path f : s.toList()) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                if (m.matches() && Files.isRegularFile(f) && Files.isExecutable(f)) {
                    out.add(new ModuleFile(m.group(2), Integer.parseInt(m.group(1)), f));
                }
            }
        }
        out.sort(ORDER);
        return out;
    }
}
