package org.slapgrid.node.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.io.Json;

/**
 * The running daemon's control socket: {@code slapos node instance} asks the daemon, which is
 * already warm, to run a round, instead of starting a cold node of its own. A UNIX socket in the
 * node's root-owned state directory with mode 0600: only the node's own user may use it. One
 * request a connection, one JSON line each way and per outcome:
 * <pre>
 * -> {"force": false, "only": null}
 * <- {"partition": "slappart0", "kind": "SKIPPED", "detail": "unchanged"}   (one line per partition)
 * <- {"done": true}
 * </pre>
 * Hand-written over the JDK's UNIX-domain socket channels: no library is needed for this.
 */
public final class ControlSocket implements AutoCloseable {

    private static final ObjectMapper JSON = Json.plain();

    /** The wire form of the {@link InstanceConverger.Selection} a round is asked for with (its first line). */
    record Request(boolean force, String only) {
    }

    record Outcome(String partition, String kind, String detail) {
    }

    /** Where a node's daemon listens: in the node's own (root-owned) state directory. */
    public static Path pathFor(org.slapgrid.node.config.NodeConfig config) {
        return config.stateDirectory().resolve("daemon.sock");
    }

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private ControlSocket(Path path, ServerSocketChannel server, Thread acceptor) {
        this.path = path;
        this.server = server;
        this.acceptor = acceptor;
    }

    /** Listens on {@code path} and answers each request with {@code round}. */
    public static ControlSocket listen(Path path,
                                       java.util.function.Function<InstanceConverger.Selection, List<PartitionOutcome>> round,
                                       Consumer<String> log) throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        Thread acceptor = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel client = server.accept()) {
                    serve(client, round);
                } catch (IOException | RuntimeException e) {
                    if (server.isOpen()) {
                        log.accept("control socket: " + e.getMessage());
                    }
                }
            }
        }, "control-socket");
        acceptor.setDaemon(true);
        acceptor.start();
        return new ControlSocket(path, server, acceptor);
    }

    private static void serve(SocketChannel client,
                              java.util.function.Function<InstanceConverger.Selection, List<PartitionOutcome>> round)
            throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        OutputStream out = Channels.newOutputStream(client);
        String line = in.readLine();
        if (line == null) {
            return;
        }
        Request request = JSON.readValue(line, Request.class);
        for (PartitionOutcome o : round.apply(new InstanceConverger.Selection(request.force(), request.only()))) {
            out.write((JSON.writeValueAsString(new Outcome(o.partition(), o.kind().name(), o.detail())) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.write("{\"done\": true}\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Asks the daemon listening on {@code path} for a round; empty when no daemon answers there
     * (the caller then runs the round itself).
     */
    public static Optional<List<PartitionOutcome>> ask(Path path, InstanceConverger.Selection selection) {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write((JSON.writeValueAsString(new Request(selection.force(), selection.onlyPartition())) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            List<PartitionOutcome> outcomes = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.contains("\"done\"")) {
                    return Optional.of(outcomes);
                }
                Outcome o = JSON.readValue(line, Outcome.class);
                outcomes.add(new PartitionOutcome(o.partition(), PartitionOutcome.Kind.valueOf(o.kind()), o.detail()));
            }
            return Optional.empty(); // the daemon went away mid-round: run it here instead
        } catch (IOException e) {
            return Optional.empty(); // a stale socket file: no daemon
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort
        }
        acceptor.interrupt();
    }
}
