package org.slapgrid.master.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An address range ({@code 127.0.0.1/32}, {@code 10.0.0.0/8}, {@code ::1/128}): what the
 * master's {@code --webhook-allow} lets webhooks reach although it is internal.
 */
public record Cidr(byte[] network, int prefix, String text) {
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** Parses {@code a.b.c.d/n} or {@code ipv6/n} (an address alone is a /32 or /128); IllegalArgumentException says why. */
    public static Cidr parse(String s) {
        String t = s == null ? "" : s.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (!LITERAL.matcher(addr).matches()) {
            throw new IllegalArgumentException("'" + s + "' is not an address range (a.b.c.d/n or an IPv6 address/n)");
        }
        byte[] net;
        try {
            net = InetAddress.getByName(addr).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + s + "' is not an address range: " + e.getMessage());
        }
        int bits = net.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "': the prefix length must be a number 0-" + bits);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + s + "': the prefix length must be 0-" + bits + " (got " + prefix + ")");
        }
        return new Cidr(net, prefix, t);
    }

    public boolean contains(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
