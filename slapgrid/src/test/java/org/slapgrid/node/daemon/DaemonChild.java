package org.slapgrid.node.daemon;

import java.nio.file.Path;
import java.time.Duration;

import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;

/**
 * A node daemon in its own JVM, as `slapos node daemon --config FILE` runs it (that command is
 * this, in the cli module): for tests that kill it.
 */
public final class DaemonChild {

    private DaemonChild() {
    }

    public static void main(String[] args) throws Exception {
        NodeConfig config = new NodeConfigLoader(NodeLayout.forCurrentUser()).load(Path.of(args[0]));
        NodeDaemon daemon = new NodeDaemon(Node.open(config, System.out::println), Duration.ofSeconds(5), line -> {
            System.out.println(line);
            System.out.flush();
        });
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            try {
                main.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        daemon.run();
    }
}
