package org.slapgrid.node.format;

import java.nio.file.Path;

/**
 * One partition as formatted: {@code slappartN}, its directory, the Unix user that owns it and
 * runs everything in it, and its own loopback address (so two instances can use one port).
 */
public record Partition(String id, int index, Path directory, String user, String ipv4) {

    public static String idOf(int index) {
        return "slappart" + index;
    }
}
