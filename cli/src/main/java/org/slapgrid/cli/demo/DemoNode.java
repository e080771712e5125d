package org.slapgrid.cli.demo;

import java.nio.file.Path;

/**
 * One node of the demo fleet, all on this machine: the first is {@code demo} in the demo
 * directory itself (as before there was a fleet); node k is {@code demo-k} in {@code node-k/}.
 * Each has its own address range and, as root, its own partition users (user_base_name), so
 * that the nodes share nothing (docs/clusters.md).
 *
 * @param userBaseName null for the first node (the default slapuserN)
 */
record DemoNode(int number, String id, Path directory, String network, String userBaseName) {

    static final int MAX = 4;

    static DemoNode of(Path demoDirectory, int number) {
        if (number == 1) {
            return new DemoNode(1, "demo", demoDirectory, "127.42.0.0/16", null);
        }
        return new DemoNode(number, "demo-" + number, demoDirectory.resolve("node-" + number),
                "127." + (41 + number) + ".0.0/16", "slapuser" + (char) ('a' + number - 1));
    }

    Path config() {
        return directory.resolve("etc/slapos.cfg");
    }

    Path secret() {
        return directory.resolve("etc/node.secret");
    }

    Path instanceRoot() {
        return directory.resolve("srv");
    }

    /** The name of its daemon among the demo's background processes (and of its log). */
    String daemon() {
        return number == 1 ? "daemon" : "daemon-" + number;
    }
}
