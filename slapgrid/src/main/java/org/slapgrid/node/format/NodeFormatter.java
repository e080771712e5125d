package org.slapgrid.node.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.io.AtomicFiles;

/**
 * {@code slapos node format}: makes the node's partitions exist as configured. For each of
 * {@code slappart0..N-1}: the user (as root), the directory with mode 0750 owned by that user,
 * and a loopback address; the result is recorded in the node's root-owned state directory
 * ({@code var/format.json}). Re-running it changes nothing, and it never looks inside a
 * partition: an instance's data is not the formatter's business.
 */
public final class NodeFormatter {

    static final Set<PosixFilePermission> PARTITION_MODE = PosixFilePermissions.fromString("rwxr-x---");
    private static final Set<PosixFilePermission> ROOT_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> RECORD_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> STATE_MODE = PosixFilePermissions.fromString("rwx--x--x");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final NodeConfig config;
    private final PartitionAccounts accounts;

    public NodeFormatter(NodeConfig config, PartitionAccounts accounts) {
        this.config = config;
        this.accounts = accounts;
    }

    /** The outcome: every partition, and a line per thing that had to change (empty when none). */
    public record Result(List<Partition> partitions, List<String> changes) {
    }

    public Result format() throws IOException {
        List<String> changes = new ArrayList<>();
        ensureDirectory(config.instanceRoot(), ROOT_MODE, changes);
        ensureDirectory(config.stateDirectory(), STATE_MODE, changes);
        ensureDirectory(config.softwareRoot(), ROOT_MODE, changes);

        List<String> addresses = LoopbackAddresses.allocate(config.ipv4Network(), config.partitionCount());
        List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < config.partitionCount(); i++) {
            String id = Partition.idOf(i);
            Path dir = config.partitionDirectory(id);
            if (Files.isSymbolicLink(dir)) {
                throw new IOException(dir + " is a symbolic link: refusing to format through it");
            }
            boolean created = !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
            if (created) {
                Files.createDirectories(dir);
                changes.add("created " + dir);
            }
            String user = accounts.ensureUser(i, dir);
            accounts.giveTo(dir, user);
            if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(PARTITION_MODE)) {
                Files.setPosixFilePermissions(dir, PARTITION_MODE);
                if (!created) {
                    changes.add("set mode 0750 on " + dir);
                }
            }
            partitions.add(new Partition(id, i, dir, user, addresses.get(i)));
        }
        String record = JSON.writeValueAsString(new FormatRecord(config.nodeId(), config.ipv4Network(), partitions)) + "\n";
        Path file = formatFile(config);
        // root's only: it names every partition's user and address, and partitions need none of it
        if (!AtomicFiles.hasContent(file, record)) {
            AtomicFiles.write(file, record, "rw-------");
            changes.add("recorded the layout in " + file);
        } else if (!Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(RECORD_MODE)) {
            Files.setPosixFilePermissions(file, RECORD_MODE);
            changes.add("set mode 0600 on " + file);
        }
        return new Result(List.copyOf(partitions), List.copyOf(changes));
    }

    /** The partitions recorded by the last format, or an empty list when the node was never formatted. */
    public static List<Partition> formatted(NodeConfig config) throws IOException {
        Path file = formatFile(config);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return List.of(JSON.readValue(file.toFile(), FormatRecord.class).partitions().toArray(Partition[]::new));
    }

    static Path formatFile(NodeConfig config) {
        return config.stateDirectory().resolve("format.json");
    }

    private static void ensureDirectory(Path dir, Set<PosixFilePermission> mode, List<String> changes) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, mode);
            changes.add("created " + dir);
        }
    }

    /** What {@code var/format.json} holds. */
    record FormatRecord(String node, String network, List<Partition> partitions) {
    }
}
