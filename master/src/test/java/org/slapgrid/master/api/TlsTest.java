package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;

/** HTTPS with a PKCS#12 keystore; the client verifies the certificate against the CA it is given. */
class TlsTest {
    @TempDir
    Path tmp;

    @Test
    void clientsTalkToATlsMasterOnlyWhenTheyTrustItsCertificate() throws Exception {
        Path ks = tmp.resolve("master.p12");
        Path pem = tmp.resolve("master.pem");
        keytool("-genkeypair", "-alias", "master", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "master", "-keystore", ks.toString(), "-storepass", "changeit", "-file", pem.toString());

        MasterConfig config = MasterConfig.defaults(tmp.resolve("data")).withListen("127.0.0.1", 0)
                .withTls(ks, "changeit".toCharArray());
        try (MasterFixture m = new MasterFixture(config)) {
            assertThat(m.master.url().getScheme()).isEqualTo("https");
            SlapClient trusting = SlapClient.builder(m.master.url()).token(m.adminToken).trust(pem, null)
                    .timeout(Duration.ofSeconds(10)).build();
            assertThat(trusting.registerNode("n1", List.of("slappart0")).id()).isEqualTo("n1");
            assertThat(trusting.nodes()).hasSize(1);

            // The web UI's session cookie is Secure under TLS.
            java.net.http.HttpClient https = java.net.http.HttpClient.newBuilder().sslContext(org.slapgrid.slap.Tls.trusting(pem, null))
                    .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
            var login = https.send(java.net.http.HttpRequest.newBuilder(m.master.url().resolve("/ui/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + m.adminToken)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                    assertThat(c).contains("; Secure").contains("HttpOnly").contains("SameSite=Strict"));

            SlapClient unverified = SlapClient.builder(m.master.url()).token(m.adminToken).timeout(Duration.ofSeconds(10)).build();
            assertThatThrownBy(unverified::nodes).isInstanceOfSatisfying(SlapException.class,
                    e -> assertThat(e.code()).isEqualTo("io"));
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
