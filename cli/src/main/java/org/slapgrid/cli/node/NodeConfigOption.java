package org.slapgrid.cli.node;

import java.nio.file.Path;

import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;
import picocli.CommandLine.Option;

/** The {@code --config} option every node command shares, and the loading of that file. */
public final class NodeConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The node configuration (default: $SLAPOS_CONFIGURATION, else /etc/opt/slapos/slapos.cfg as root,"
                    + " ~/.slapos/etc/opt/slapos/slapos.cfg otherwise).")
    Path config;

    public NodeLayout layout() {
        return NodeLayout.forCurrentUser();
    }

    public Path file() {
        if (config != null) {
            return config;
        }
        String env = System.getenv("SLAPOS_CONFIGURATION");
        return env != null && !env.isBlank() ? Path.of(env) : layout().configFile();
    }

    /** Loads the configuration; warnings (unknown options) go to standard error. */
    public NodeConfig load() {
        NodeConfigLoader loader = new NodeConfigLoader(layout());
        NodeConfig c = loader.load(file());
        loader.warnings().forEach(w -> System.err.println("warning: " + w));
        return c;
    }
}
