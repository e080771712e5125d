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

import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.io.Json;

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
    private static final ObjectMapper JSON = Json.indented();

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

        refuseOtherUserBase();
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
        String record = JSON.writeValueAsString(new FormatRecord(config.nodeId(), config.ipv4Network(),
                config.multiUser() ? config.userBaseName() : null, partitions)) + "\n";
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

    /**
     * A node formatted with one partition users' prefix is not re-formatted with another: its
     * partitions' files belong to the old users, whose processes the new ones could not end.
     */
    private void refuseOtherUserBase() throws IOException {
        Path file = formatFile(config);
        if (!config.multiUser() || !Files.isRegularFile(file)) {
            return;
        }
        String recorded = JSON.readValue(file.toFile(), FormatRecord.class).userBaseName();
        if (recorded != null && !recorded.equals(config.userBaseName())) {
            throw new org.slapgrid.node.config.NodeConfigException((config.file() == null ? "the node's configuration" : config.file().toString())
                    + ": [slapos] user_base_name: '" + config.userBaseName() + "', but the node was formatted with '"
                    + recorded + "' (" + file + "); partitions keep their users: put back '" + recorded + "'");
        }
    }

    /** Each partition's address by partition id, as the node reports them to the master (peers reach a member there). */
    public static java.util.Map<String, String> addresses(List<Partition> partitions) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        partitions.forEach(p -> out.put(p.id(), p.ipv4()));
        return out;
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

    /** What {@code var/format.json} holds ({@code userBaseName}: null in single-user mode and in older records). */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record FormatRecord(String node, String network, String userBaseName, List<Partition> partitions) {
    }
}
