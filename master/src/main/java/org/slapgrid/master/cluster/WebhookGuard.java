package org.slapgrid.master.cluster;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Where a webhook may go (server-side request forgery: a cluster owner's URL must not make the
 * master talk to what only the master can reach). A destination is refused when any address its
 * host resolves to is loopback, link-local (169.254/16, the clouds' metadata service; fe80::/10),
 * private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10), multicast, broadcast or
 * unspecified (0/8, ::), IPv4-mapped and NAT64 forms of those included, unless it lies in one of
 * the master's {@code --webhook-allow} ranges. The host is resolved once here; the caller
 * connects to the address checked, never to the name again (no DNS rebinding between the check
 * and the connection).
 */
final class WebhookGuard {

    /** How a name becomes addresses (the system's resolver; a test may give its own). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Cidr> allow;
    private final Resolver resolver;

    WebhookGuard(List<Cidr> allow, Resolver resolver) {
        this.allow = List.copyOf(allow);
        this.resolver = resolver;
    }

    static WebhookGuard system(List<Cidr> allow) {
        return new WebhookGuard(allow, InetAddress::getAllByName);
    }

    /** The address to connect to, or a refusal saying which address and why. */
    record Verdict(InetAddress address, String refusal) {
        boolean allowed() {
            return refusal == null;
        }
    }

    Verdict check(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all;
        try {
            all = resolver.resolve(h);
        } catch (UnknownHostException e) {
            return new Verdict(null, "host " + host + " does not resolve");
        }
        if (all == null || all.length == 0) {
            return new Verdict(null, "host " + host + " does not resolve");
        }
        // every address must pass: a name with one public and one internal address is refused
        for (InetAddress a : all) {
            Optional<String> why = internal(a);
            if (why.isPresent() && allow.stream().noneMatch(c -> c.contains(a))) {
                return new Verdict(null, "host " + host + " resolves to " + a.getHostAddress() + " (" + why.get()
                        + "), not in the master's --webhook-allow" + (allow.isEmpty() ? " (none)" : " " + allow));
            }
        }
        return new Verdict(all[0], null);
    }

    /** Why {@code a} is internal (empty: a public address). */
    static Optional<String> internal(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Optional<InetAddress> embedded = embeddedV4(b);
            if (embedded.isPresent()) {
                return internal(embedded.get()).map(w -> w + ", in an IPv6 form");
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return Optional.of("private: unique local fc00::/7");
            }
        }
        if (a.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (a.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (a.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (a.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (a.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            if (b0 == 0) {
                return Optional.of("unspecified: 0.0.0.0/8");
            }
            if (b0 == 100 && b1 >= 64 && b1 < 128) {
                return Optional.of("private: shared 100.64.0.0/10");
            }
            if (b0 >= 240) {
                return Optional.of("reserved or broadcast: 240.0.0.0/4");
            }
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::/96) address. */
    private static Optional<InetAddress> embeddedV4(byte[] b) {
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) {
            zero10 &= b[i] == 0;
        }
        boolean mapped = zero10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zero10 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (!(mapped || compatible || nat64)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
