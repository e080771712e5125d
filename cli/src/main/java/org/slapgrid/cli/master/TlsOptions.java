package org.slapgrid.cli.master;

import java.nio.file.Files;
import java.nio.file.Path;

import org.slapgrid.master.MasterConfig;
import picocli.CommandLine.Option;

/** {@code slapos master} over HTTPS: the keystore and the file holding its password, which go together. */
final class TlsOptions {

    @Option(names = "--tls-keystore", paramLabel = "FILE.p12", description = "serve HTTPS with this PKCS#12 keystore")
    Path keystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "file holding the keystore password")
    Path passwordFile;

    /** {@code config} serving HTTPS when a keystore is given; a bad one is an IllegalArgumentException naming the option. */
    MasterConfig applyTo(MasterConfig config) {
        if ((keystore == null) != (passwordFile == null)) {
            throw new IllegalArgumentException("--tls-keystore and --tls-password-file go together");
        }
        if (keystore == null) {
            return config;
        }
        if (!Files.isReadable(keystore)) {
            throw new IllegalArgumentException("--tls-keystore: cannot read " + keystore);
        }
        return config.withTls(keystore, MasterCommand.secret("--tls-password-file", passwordFile).toCharArray());
    }
}
