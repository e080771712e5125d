package org.slapgrid.cli.console;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every console verb takes (see {@link ClientSettings} for the order of precedence). */
public final class ConsoleOptions {
    @Option(names = "--master-url", paramLabel = "URL", description = "the master (default: client.cfg, SLAPOS_MASTER_URL, http://127.0.0.1:5080/)")
    String masterUrl;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file holding your API token (default: SLAPOS_TOKEN, client.cfg, ~/.slapos/master/admin-token)")
    Path tokenFile;

    @Option(names = "--ca", paramLabel = "FILE", description = "trust this certificate (PEM) or PKCS#12 truststore for an https master")
    Path ca;

    @Option(names = "--config", paramLabel = "FILE", description = "client configuration (default: SLAPOS_CLIENT_CONFIG or ~/.slapos/client.cfg)")
    Path config;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    /** Values given to {@code slapos console} that its verbs inherit unless they give their own. */
    void inherit(ConsoleOptions parent) {
        if (parent == null) {
            return;
        }
        if (masterUrl == null) {
            masterUrl = parent.masterUrl;
        }
        if (tokenFile == null) {
            tokenFile = parent.tokenFile;
        }
        if (ca == null) {
            ca = parent.ca;
        }
        if (config == null) {
            config = parent.config;
        }
        json = json || parent.json;
    }
}
