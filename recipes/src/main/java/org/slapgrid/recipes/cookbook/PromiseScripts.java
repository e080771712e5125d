package org.slapgrid.recipes.cookbook;

import org.slapgrid.buildout.spi.Options;
import org.slapgrid.recipes.support.OptionValues;
import org.slapgrid.recipes.support.Shell;

/**
 * The executable checks that promise recipes write: small POSIX shell scripts, each bounded by
 * its own timeout (coreutils {@code timeout}), exit 0 when the promise is kept, non-zero with a
 * one-line reason on stderr otherwise.
 */
final class PromiseScripts {

    private PromiseScripts() {
    }

    /** The port-listening promise of options {@code hostOption} (validated) and {@code portOption} (mandatory, 1-65535). */
    static String portListening(Options options, String hostOption, String portOption, int timeoutSeconds) {
        String host = options.required(hostOption).strip();
        if (!host.matches("[A-Za-z0-9.:_\\[\\]-]+")) {
            throw options.error(hostOption, "not a host name or address: '" + host + "'");
        }
        if (options.get(portOption, "").isBlank()) {
            throw options.error(portOption, "missing mandatory option '" + portOption + "'");
        }
        return portListening(host, OptionValues.integer(options, portOption, 0, 1, 65535), timeoutSeconds);
    }

    /** Something accepts TCP connections on host:port (bash's /dev/tcp, no extra tool needed). */
    static String portListening(String host, int port, int timeoutSeconds) {
        // bash's /dev/tcp takes a bare IPv6 address, not the bracketed URL form.
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String target = "/dev/tcp/" + bare + "/" + port;
        return "#!/bin/sh\n"
                + "# Promise: " + host + " port " + port + " accepts connections (timeout " + timeoutSeconds + "s)\n"
                + "if timeout " + timeoutSeconds + " bash -c " + Shell.quote("exec 3<>" + target) + " 2>/dev/null; then\n"
                + "  exit 0\n"
                + "fi\n"
                + "echo " + Shell.quote(host + " on " + port + " isn't listening") + " >&2\n"
                + "exit 127\n";
    }

    /** The URL answers with the expected HTTP status code. */
    static String urlAvailable(String url, int expectedCode, boolean verifyTls, int timeoutSeconds) {
        return "#!/bin/sh\n"
                + "# Promise: " + url + " answers HTTP " + expectedCode + " (timeout " + timeoutSeconds + "s)\n"
                + "code=$(curl --silent --output /dev/null --write-out '%{http_code}' " + (verifyTls ? "" : "--insecure ")
                + "--max-time " + timeoutSeconds + " " + Shell.quote(url) + ")\n"
                + "if [ \"$code\" = " + expectedCode + " ]; then\n"
                + "  exit 0\n"
                + "fi\n"
                + "echo " + Shell.quote(url + " answered HTTP ") + "\"$code\"" + Shell.quote(", expected " + expectedCode) + " >&2\n"
                + "exit 1\n";
    }

    /** The command exits 0. */
    static String commandSucceeds(String command, int timeoutSeconds) {
        return "#!/bin/sh\n"
                + "# Promise: command succeeds (timeout " + timeoutSeconds + "s)\n"
                + "timeout " + timeoutSeconds + " sh -c " + Shell.quote(command) + "\n"
                + "status=$?\n"
                + "if [ $status -eq 0 ]; then\n"
                + "  exit 0\n"
                + "fi\n"
                + "echo \"command failed with status $status: \"" + Shell.quote(command) + " >&2\n"
                + "exit 1\n";
    }
}
