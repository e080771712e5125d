package org.slapgrid.node.config;

import java.nio.file.Path;

/**
 * Where a node keeps its files. As root, the system layout of the design
 * ({@code /etc/opt/slapos}, {@code /opt/slapgrid}, {@code /srv/slapgrid}); otherwise the same
 * layout below {@code ~/.slapos/}, with every partition run as the current user.
 */
public record NodeLayout(Path prefix, boolean multiUser) {

    public static NodeLayout forCurrentUser() {
        boolean root = "root".equals(System.getProperty("user.name"));
        return root ? new NodeLayout(Path.of("/"), true)
                : new NodeLayout(Path.of(System.getProperty("user.home"), ".slapos"), false);
    }

    public Path configFile() {
        return prefix.resolve("etc/opt/slapos/slapos.cfg");
    }

    public Path credentialsFile() {
        return prefix.resolve("etc/opt/slapos/node.secret");
    }

    public Path softwareRoot() {
        return prefix.resolve("opt/slapgrid");
    }

    public Path instanceRoot() {
        return prefix.resolve("srv/slapgrid");
    }
}
