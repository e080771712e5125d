package org.slapgrid.node.compliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigException;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.slap.model.Compliance;

/**
 * What the node tells the master of itself when it asks for its compliance plan, so that the
 * attachments' filters (OpenSVC's filtersets) can be matched: its OS, {@code ID-VERSION_ID} of
 * /etc/os-release ({@code debian-12}), and its tags, the words of {@code [slapos] tags} in
 * slapos.cfg (OpenSVC's tag syntax: letters, digits, '.', '_', '-').
 */
public final class NodeFacts {
    public static final String TAGS_OPTION = "tags";

    private NodeFacts() {
    }

    public static Compliance.Facts of(NodeConfig config) {
        return new Compliance.Facts(os(Path.of("/etc/os-release")), tags(config.file()));
    }

    /** {@code ID-VERSION_ID} (or ID alone); null when the file is missing or names no ID. */
    static String os(Path osRelease) {
        try {
            Map<String, String> v = Files.readAllLines(osRelease).stream().filter(l -> l.contains("="))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')).strip(),
                            l -> l.substring(l.indexOf('=') + 1).strip().replaceAll("^\"|\"$", ""), (a, b) -> b));
            String id = v.get("ID");
            if (id == null || id.isBlank()) {
                return null;
            }
            String version = v.get("VERSION_ID");
            return version == null || version.isBlank() ? id : id + "-" + version;
        } catch (IOException e) {
            return null;
        }
    }

    /** The node's tags; a bad tag is an error naming the file, section and option. */
    static List<String> tags(Path file) {
        String v = NodeConfigLoader.rawOption(file, TAGS_OPTION);
        if (v == null) {
            return List.of();
        }
        List<String> tags = Arrays.stream(v.strip().split("\\s+")).toList();
        for (String t : tags) {
            try {
                org.slapgrid.slap.tags.TagExpression.checkTag(t, v);
            } catch (IllegalArgumentException e) {
                throw new NodeConfigException(file + ": [slapos] " + TAGS_OPTION + ": " + e.getMessage());
            }
        }
        return tags;
    }
}
