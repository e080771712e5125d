package org.slapgrid.benchmarks.master;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.SupplyState;

/**
 * How long the master takes to answer the web UI's instances page (and the overview) with 500
 * instances on SQLite (each with a parameter to escape): from the request leaving the client to
 * the last byte of the HTML received, over loopback, after a warm-up.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.slapgrid.benchmarks.master.UiPageBenchmark [instances] [rounds]</pre>
 */
public final class UiPageBenchmark {
    static final String SR = "https://example.org/benchmark/software.cfg";

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path dir = Files.createTempDirectory("slapgrid-ui-bench");
        MasterConfig config = MasterConfig.defaults(dir).withListen("127.0.0.1", 0);
        try (Master master = Master.start(config)) {
            String adminToken = Files.readString(config.adminTokenFile()).strip();
            SlapClient admin = SlapClient.builder(master.url()).token(adminToken).build();
            List<String> parts = IntStream.range(0, count).mapToObj(p -> "slappart" + p).toList();
            admin.registerNode("node0", parts);
            admin.supply(SR, "node0", SupplyState.AVAILABLE);
            for (int i = 0; i < count; i++) {
                admin.request(InstanceRequest.of("instance-" + i, SR, Map.of("index", Integer.toString(i), "note", "<b>" + i + "</b>")));
            }
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(master.url().resolve("/ui/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(adminToken, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow(() -> new IllegalStateException("login failed"));
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            System.out.printf("web UI pages: %d instances on SQLite, %d rounds after %d warm-up, %d cores%n", count, rounds, rounds,
                    Runtime.getRuntime().availableProcessors());
            for (String page : List.of("/ui/instances", "/ui/")) {
                URI uri = master.url().resolve(page);
                long[] nanos = new long[rounds];
                int bytes = 0;
                for (int k = 0; k < 2 * rounds; k++) {
                    long t = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Cookie", cookie).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    long d = System.nanoTime() - t;
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(page + " answered " + r.statusCode());
                    }
                    bytes = r.body().length();
                    if (k >= rounds) {
                        nanos[k - rounds] = d;
                    }
                }
                Arrays.sort(nanos);
                System.out.printf("  %-14s %7.1f KiB  median %6.1f ms  p95 %6.1f ms  max %6.1f ms%n", page, bytes / 1024.0,
                        nanos[rounds / 2] / 1e6, nanos[(int) (rounds * 0.95)] / 1e6, nanos[rounds - 1] / 1e6);
            }
        }
    }
}
