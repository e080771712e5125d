package org.slapgrid.recipes.cookbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.testing.FakeBuildoutCase;
import org.slapgrid.recipes.testing.Tools;
import org.slapgrid.testing.Require;

class PromiseRecipesTest extends FakeBuildoutCase {

    private static int run(Path script) throws Exception {
        Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        p.getInputStream().readAllBytes();
        return p.exitValue();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void checkPortListeningIsKeptOnlyWhileSomethingListens() throws Exception {
        Tools.assumeInstalled("bash", "timeout");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            buildout.section("c", "recipe", "slapos.cookbook:check_port_listening", "path", "etc/promise/port",
                    "hostname", "127.0.0.1", "port", String.valueOf(server.getLocalPort()), "timeout", "5");
            Path promise = dir.resolve("etc/promise/port");
            assertThat(buildout.install("c")).containsExactly(promise);
            assertThat(Modes.get(promise)).isEqualTo(0700);
            assertThat(run(promise)).isZero();
            Files.setLastModifiedTime(promise, FileTime.fromMillis(1_000_000_000L));
            assertThat(buildout.update("c")).isEmpty();
            assertThat(Files.getLastModifiedTime(promise).toMillis()).isEqualTo(1_000_000_000L);
        }
        buildout.section("c").put("port", String.valueOf(freePort()));
        buildout.install("c");
        assertThat(run(dir.resolve("etc/promise/port"))).isEqualTo(127);
    }

    @Test
    void portPromiseWorksOnIpv6Loopback() throws Exception {
        java.net.InetAddress loopback6;
        try {
            loopback6 = java.net.InetAddress.getByName("::1");
            new ServerSocket(0, 1, loopback6).close();
        } catch (java.io.IOException e) {
            Require.that(false, "no IPv6 loopback (::1) on this machine: " + e.getMessage());
            return;
        }
        try (ServerSocket server = new ServerSocket(0, 50, loopback6)) {
            buildout.section("c", "recipe", "slapos.cookbook:check_port_listening", "path", "p6",
                    "hostname", "[::1]", "port", String.valueOf(server.getLocalPort()));
            buildout.install("c");
            assertThat(run(dir.resolve("p6"))).isZero();
        }
    }

    @Test
    void urlPromiseChecksTheStatusCode() throws Exception {
        Tools.assumeInstalled("curl");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            buildout.section("u", "recipe", "slapos.cookbook:promise.plugin", "output", "etc/promise/url",
                    "module", "slapos.promise.plugin.check_url_available", "config-url", base + "/ok", "config-timeout", "5");
            buildout.install("u");
            assertThat(run(dir.resolve("etc/promise/url"))).isZero();
            buildout.section("u").put("config-url", base + "/missing");
            buildout.install("u");
            assertThat(run(dir.resolve("etc/promise/url"))).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void commandPromiseHonoursItsTimeout() throws Exception {
        buildout.section("k", "recipe", "slapos.cookbook:promise.plugin", "output", "p1",
                "promise", "check_command_execute", "config-command", "test -d " + dir);
        buildout.install("k");
        assertThat(run(dir.resolve("p1"))).isZero();
        buildout.section("k").put("config-command", "sleep 30");
        buildout.section("k").put("config-timeout", "1");
        buildout.install("k");
        assertThat(run(dir.resolve("p1"))).as("killed by its own 1 s timeout, well before the command ends").isEqualTo(1);
    }

    @Test
    void socketPromiseAndBadInputs() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            buildout.section("s", "recipe", "slapos.cookbook:promise.plugin", "output", "p2",
                    "module", "slapos.promise.plugin.check_socket_listening", "config-host", "127.0.0.1",
                    "config-port", String.valueOf(server.getLocalPort()));
            buildout.install("s");
            assertThat(run(dir.resolve("p2"))).isZero();
        }
        buildout.section("a", "recipe", "slapos.cookbook:promise.plugin", "output", "x", "module", "check_disk_space");
        assertThatThrownBy(() -> buildout.create("a")).hasMessageContaining("[a] module").hasMessageContaining("unknown promise");
        buildout.section("b", "recipe", "slapos.cookbook:promise.plugin", "output", "x", "module", "check_url_available",
                "config-url", "ftp://x");
        assertThatThrownBy(() -> buildout.create("b")).hasMessageContaining("[b] config-url");
        buildout.section("c", "recipe", "slapos.cookbook:check_port_listening", "path", "x", "hostname", "h; rm -rf /", "port", "1");
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("[c] hostname");
        buildout.section("d", "recipe", "slapos.cookbook:check_port_listening", "path", "x", "hostname", "h", "port", "70000");
        assertThatThrownBy(() -> buildout.create("d")).hasMessageContaining("[d] port");
        buildout.section("e", "recipe", "slapos.cookbook:promise.plugin", "output", "x");
        assertThatThrownBy(() -> buildout.create("e")).hasMessageContaining("[e] module");
        buildout.section("f", "recipe", "slapos.cookbook:promise.plugin", "output", "x", "module", "check_socket_listening",
                "config-host", "h; rm -rf /", "config-port", "1");
        assertThatThrownBy(() -> buildout.create("f")).hasMessageContaining("[f] config-host").hasMessageContaining("not a host name");
        buildout.section("g", "recipe", "slapos.cookbook:promise.plugin", "output", "x", "module", "check_socket_listening",
                "config-host", "h");
        assertThatThrownBy(() -> buildout.create("g")).hasMessageContaining("[g] config-port").hasMessageContaining("missing mandatory option 'config-port'");
        buildout.section("h", "recipe", "slapos.cookbook:promise.plugin", "output", "x", "module", "check_command_execute",
                "config-command", " ");
        assertThatThrownBy(() -> buildout.create("h")).hasMessageContaining("[h] config-command").hasMessageContaining("must not be empty");
    }

    @Test
    void aPromiseCarriesTags() throws Exception {
        buildout.section("c", "recipe", "slapos.cookbook:check_port_listening", "path", "etc/promise/pod01-port",
                "hostname", "127.0.0.1", "port", "1", "tags", "pod01 sm");
        assertThat(buildout.install("c")).containsExactly(dir.resolve("etc/promise/pod01-port"),
                dir.resolve("etc/promise/.pod01-port.tags"));
        buildout.section("p", "recipe", "slapos.cookbook:promise.plugin", "output", "etc/promise/cmd",
                "module", "check_command_execute", "config-command", "true", "tags", "db");
        assertThat(org.slapgrid.recipes.slap.ServiceTags.read(buildout.install("p").iterator().next())).containsExactly("db");
    }
}
