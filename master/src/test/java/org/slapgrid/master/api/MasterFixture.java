package org.slapgrid.master.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;

/** A real master on 127.0.0.1 and a free port, with its SQLite file in a temporary directory. */
final class MasterFixture implements AutoCloseable {
    final Master master;
    final String adminToken;
    private final HttpClient http = HttpClient.newHttpClient();

    MasterFixture(Path dataDir) throws Exception {
        this(MasterConfig.defaults(dataDir).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMillis(200)));
    }

    MasterFixture(MasterConfig config) throws Exception {
        master = Master.start(config);
        adminToken = Files.readString(config.adminTokenFile()).strip();
    }

    SlapClient client(String token) {
        return SlapClient.builder(master.url()).token(token).timeout(Duration.ofSeconds(10)).build();
    }

    SlapClient admin() {
        return client(adminToken);
    }

    /** A raw call, for the refusals the typed client cannot even express. */
    HttpResponse<String> raw(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(master.url() + path.substring(1)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        master.close();
    }
}
