package org.slapgrid.recipes.cookbook;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Failures;
import org.slapgrid.recipes.support.Json;
import org.slapgrid.recipes.support.NamedFactory;
import org.slapgrid.recipes.support.OptionValues;

/**
 * {@code slapos.cookbook:free_port}: picks a port in [{@code minimum}, {@code maximum}] (default
 * 1024..65535) that nothing listens on at {@code ip}, once, and keeps it: the choice is stored in
 * {@code storage-path} (default {@code ${buildout:parts-directory}/<section>.port.json}) and read
 * back on later runs (the instance's own service then listens on it, so it is not re-checked).
 * Output option: {@code port}.
 */
public final class FreePortRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:free_port");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new FreePortRecipe(buildout, options);
        }
    }

    private final Path storage;
    private final String ip;
    private final int port;

    FreePortRecipe(BuildoutContext buildout, Options options) {
        this.ip = options.get("ip", "127.0.0.1").strip();
        InetAddress address;
        try {
            address = InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw options.error("ip", "not an address: '" + ip + "'");
        }
        int minimum = OptionValues.integer(options, "minimum", 1024, 1, 65535);
        int maximum = OptionValues.integer(options, "maximum", 65535, 1, 65535);
        if (minimum > maximum) {
            throw options.error("maximum", "must not be below minimum (" + minimum + ")");
        }
        this.storage = OptionValues.optionalPath(buildout, options, "storage-path")
                .orElse(buildout.partsDirectory().resolve(options.sectionName() + ".port.json"));
        Integer stored = stored(storage, ip);
        if (stored != null && stored >= minimum && stored <= maximum) {
            this.port = stored;
        } else {
            this.port = pick(options, address, minimum, maximum);
        }
        // Volatile: the chosen port must not make the part look changed, and a first choice
        // must not differ from what a later run reads back.
        options.putVolatile("port", Integer.toString(port));
    }

    @Override
    public Collection<Path> install() throws Exception {
        AtomicFiles.writeIfChanged(storage, Json.writePretty(Map.of("ip", ip, "port", port)), 0600);
        // Returned nothing: the choice survives a reinstall, as data would.
        return List.of();
    }

    private static Integer stored(Path storage, String ip) {
        if (!Files.isRegularFile(storage)) {
            return null;
        }
        try {
            Object doc = Json.parse(Files.readString(storage));
            if (doc instanceof Map<?, ?> map && ip.equals(map.get("ip")) && map.get("port") instanceof Integer p) {
                return p;
            }
        } catch (IOException e) {
            // A damaged file is replaced by a fresh choice.
        }
        return null;
    }

    private static int pick(Options options, InetAddress address, int minimum, int maximum) {
        for (int candidate = minimum; candidate <= maximum; candidate++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(address, candidate));
                return candidate;
            } catch (IOException inUse) {
                // try the next one
            }
        }
        throw Failures.of(options.sectionName(), "ip", "no free port between " + minimum + " and " + maximum + " on " + address.getHostAddress());
    }
}
