package org.slapgrid.node.limits;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slapgrid.node.format.Partition;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * Enforces partition addresses with nftables: in the node's own table
 * ({@code inet slapgrid-<node>}), packets leaving a partition's address are dropped unless
 * their socket belongs to that partition's user ({@code meta skuid}, on the output hook, which
 * loopback traffic passes too). Another partition can still bind the address (the kernel has
 * no per-address bind permission), but nothing it sends from there leaves: a client connecting
 * to a squatter never completes the handshake (its SYN-ACK is the listener's and is dropped),
 * and a partition cannot pose as another one's address as a client either. Packets without a
 * socket (the kernel's own resets) are left alone.
 *
 * <p>The table is replaced whole in one nft transaction (declare, delete, define), so applying
 * is atomic and idempotent; {@link #remove()} deletes it. Needs root and Debian's
 * {@code nftables}; elsewhere {@link #availability()} says why not.
 */
public final class AddressGuard {

    private final String table;
    private final boolean root;
    private volatile String lastApplied;

    public AddressGuard(String nodeId) {
        if (!nodeId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("not a node id: '" + nodeId + "'");
        }
        this.table = "slapgrid-" + nodeId;
        this.root = "root".equals(System.getProperty("user.name"));
    }

    public String table() {
        return "inet " + table;
    }

    /** Null when enforcement is possible here, else why not. */
    public String unavailableReason() {
        if (!root) {
            return "the node does not run as root (single-user mode: every partition is the same user)";
        }
        if (nft().isEmpty()) {
            return "nft is not installed (Debian package nftables)";
        }
        return null;
    }

    /** "enforced with nftables (table inet slapgrid-x)", or "not enforced: why" (also when the table is missing). */
    public String describe() {
        String why = unavailableReason();
        if (why != null) {
            return "not enforced: " + why;
        }
        try {
            return tableExists() ? "enforced with nftables (table " + table() + ")"
                    : "not enforced yet: no nftables table " + table() + " (slapos node format, or the node's next run, applies it)";
        } catch (IOException e) {
            return "unknown: " + e.getMessage();
        }
    }

    /**
     * Makes the node's table hold exactly these partitions' rules; does nothing when the same
     * set was already applied by this object. Returns whether it changed the kernel's rules.
     */
    public boolean apply(List<Partition> partitions) throws IOException {
        if (unavailableReason() != null) {
            return false;
        }
        String ruleset = ruleset(partitions);
        if (ruleset.equals(lastApplied) && tableExists()) {
            return false;
        }
        nftFile(ruleset);
        lastApplied = ruleset;
        return true;
    }

    /** Deletes the node's table (absent: nothing to do). */
    public void remove() throws IOException {
        if (unavailableReason() != null) {
            return;
        }
        nftFile("table " + table() + "\ndelete table " + table() + "\n");
        lastApplied = null;
    }

    /** The nft script: the table, a set of (address, uid) owners and one rule. */
    String ruleset(List<Partition> partitions) throws IOException {
        List<String> owners = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (Partition p : partitions) {
            if (!p.ipv4().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IOException("partition " + p.id() + ": not an IPv4 address: '" + p.ipv4() + "'");
            }
            addresses.add(p.ipv4());
            owners.add(p.ipv4() + " . " + uidOf(p));
        }
        StringBuilder s = new StringBuilder();
        s.append("# Written by the slapgrid node: partition addresses (org.slapgrid.node.limits.AddressGuard)\n");
        s.append("table ").append(table()).append("\n");
        s.append("delete table ").append(table()).append("\n");
        s.append("table ").append(table()).append(" {\n");
        s.append("  set partition_addresses {\n    type ipv4_addr\n");
        if (!addresses.isEmpty()) {
            s.append("    elements = { ").append(String.join(", ", addresses)).append(" }\n");
        }
        s.append("  }\n");
        s.append("  set partition_owners {\n    type ipv4_addr . uid\n");
        if (!owners.isEmpty()) {
            s.append("    elements = { ").append(String.join(", ", owners)).append(" }\n");
        }
        s.append("  }\n");
        s.append("  chain output {\n");
        s.append("    type filter hook output priority filter; policy accept;\n");
        s.append("    ip saddr @partition_addresses ip saddr . meta skuid != @partition_owners counter drop\n");
        s.append("  }\n");
        s.append("}\n");
        return s.toString();
    }

    /** The uid owning the partition's directory: its user, as format made it. */
    private static int uidOf(Partition p) throws IOException {
        return (Integer) Files.getAttribute(p.directory(), "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** How many packets the rule dropped so far (for status and tests); -1 when there is no table. */
    public long droppedPackets() {
        if (unavailableReason() != null) {
            return -1;
        }
        try {
            ProcessResult r = nft("list", "chain", "inet", table, "output");
            if (r.getExitValue() != 0) {
                return -1;
            }
            var m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(r.outputUTF8());
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    private boolean tableExists() throws IOException {
        return nft("list", "table", "inet", table).getExitValue() == 0;
    }

    private void nftFile(String script) throws IOException {
        ProcessResult r = run(new ProcessExecutor().command(nftPath(), "-f", "-")
                .redirectInput(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8))));
        if (r.getExitValue() != 0) {
            throw new IOException("nft -f failed (exit " + r.getExitValue() + "): " + r.outputUTF8().strip());
        }
    }

    private ProcessResult nft(String... args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(nftPath());
        argv.addAll(List.of(args));
        return run(new ProcessExecutor().command(argv));
    }

    private static ProcessResult run(ProcessExecutor e) throws IOException {
        try {
            return e.readOutput(true).redirectErrorStream(true).timeout(30, TimeUnit.SECONDS).execute();
        } catch (TimeoutException ex) {
            throw new IOException("nft did not answer within 30 s", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running nft", ex);
        }
    }

    private String nftPath() throws IOException {
        return nft().orElseThrow(() -> new IOException("nft is not installed (Debian package nftables)"));
    }

    private static java.util.Optional<String> nft() {
        for (String p : List.of("/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft")) {
            if (Files.isExecutable(Path.of(p))) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }
}
