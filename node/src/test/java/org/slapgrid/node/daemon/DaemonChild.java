package org.slapgrid.node.daemon;

import java.nio.file.Path;
import java.time.Duration;

import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;

/**
 * A node in its own JVM, for tests that kill it: {@code DaemonChild CONFIG} runs the daemon as
 * `slapos node daemon --config FILE` does (that command is this, in the cli module);
 * {@code DaemonChild CONFIG once} runs one forced round, as `slapos node instance --force`.
 */
public final class DaemonChild {

    private DaemonChild() {
    }

    public static void main(String[] args) throws Exception {
        NodeConfig config = new NodeConfigLoader(NodeLayout.forCurrentUser()).load(Path.of(args[0]));
        if (args.length > 1 && args[1].equals("once")) {
            Node node = Node.open(config, System.out::println);
            node.instance(node.master().nodeInfo(config.nodeId()), new org.slapgrid.node.instance.InstanceConverger.Selection(true, null))
                    .forEach(System.out::println);
            return;
        }
        NodeDaemon daemon = new NodeDaemon(Node.open(config, System.out::println), Duration.ofSeconds(5), line -> {
            System.out.println(line);
            System.out.flush();
        });
        daemon.stopOnShutdown().run();
        System.exit(0); // as the cli's Main ends every command: on a SIGTERM, while the shutdown hook runs
    }
}
