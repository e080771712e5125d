package org.slapgrid.node.format;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands out one address per partition from a loopback network such as {@code 127.1.0.0/16}:
 * the first usable addresses in order, skipping those ending in .0 or .255 so that no tool
 * mistakes them for a network or broadcast address. Deterministic: partition N always gets the
 * same address for the same network, which keeps re-formatting idempotent.
 */
public final class LoopbackAddresses {

    private LoopbackAddresses() {
    }

    public static List<String> allocate(String cidr, int count) {
        String[] parts = cidr.split("/");
        String[] octets = parts[0].split("\\.");
        long base = 0;
        for (String o : octets) {
            base = (base << 8) | Integer.parseInt(o);
        }
        int prefix = Integer.parseInt(parts[1]);
        long size = 1L << (32 - prefix);
        base &= ~(size - 1);
        List<String> out = new ArrayList<>(count);
        for (long a = base + 1; a < base + size && out.size() < count; a++) {
            long last = a & 0xff;
            if (last != 0 && last != 255) {
                out.add(((a >> 24) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 8) & 0xff) + "." + last);
            }
        }
        if (out.size() < count) {
            throw new IllegalArgumentException("network " + cidr + " has room for " + out.size()
                    + " partition addresses, " + count + " partitions were asked for");
        }
        return out;
    }
}
