package org.slapgrid.node.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.io.PartitionStateDirectory;
import org.slapgrid.slap.tags.TagRule;
import org.slapgrid.slap.tags.TagRules;

/**
 * A node's own stops and starts by tag of one partition ({@code slapos node stop|start PARTITION
 * --tags EXPR}): desired state of this node, kept in {@code var/partitions/<id>/tag-rules.json}
 * (root's, 0600, outside the partition) and honoured by every convergence until started again,
 * as the master's rules are (the same {@link TagRules}: the last rule that selects a service
 * decides). Destroying the partition deletes it with the rest of its state: the next instance
 * starts with none.
 */
public final class LocalTagRules {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalTagRules() {
    }

    public static Path fileOf(Path stateDirectory, String partitionId) {
        return PartitionStateDirectory.paths(stateDirectory, partitionId).tagRulesFile();
    }

    /** The partition's rules (none: empty), an unreadable file being an error naming it. */
    public static List<TagRule> load(Path stateDirectory, String partitionId) throws IOException {
        Path f = fileOf(stateDirectory, partitionId);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try {
            return List.copyOf(JSON.readValue(f.toFile(), new TypeReference<List<TagRule>>() { }));
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(f + ": not a list of {\"tags\", \"stopped\"} rules: " + e.getMessage(), e);
        }
    }

    /** Adds a stop ({@code stopped}) or a start of what {@code tags} selects, as the latest rule; returns the rules. */
    public static List<TagRule> add(Path stateDirectory, String partitionId, String tags, boolean stopped) throws IOException {
        List<TagRule> rules = TagRules.with(load(stateDirectory, partitionId), new TagRule(tags, stopped));
        Path f = fileOf(stateDirectory, partitionId);
        if (!Files.isDirectory(f.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("partition " + partitionId + " hosts no instance on this node (see `slapos node status`)");
        }
        if (rules.isEmpty()) {
            Files.deleteIfExists(f);
            return rules;
        }
        AtomicFiles.write(f, JSON.writeValueAsString(rules), "rw-------");
        return rules;
    }
}
