package org.slapgrid.slap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust for a master with a self-signed or private-CA certificate. The client always verifies
 * the server certificate (SlapOS did not); this only chooses which certificates are trusted.
 */
public final class Tls {
    private Tls() {
    }

    /**
     * Trusts the certificates in {@code file}: a PEM/DER certificate file, or a PKCS#12 keystore
     * (".p12"/".pfx", with {@code password}, may be null for a password-less truststore).
     */
    public static SSLContext trusting(Path file, char[] password) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".p12") || name.endsWith(".pfx")) {
                try (InputStream in = Files.newInputStream(file)) {
                    trust.load(in, password);
                }
            } else {
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(file)) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("ca-" + i++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read trusted certificates from " + file + ": " + e.getMessage(), e);
        }
    }
}
