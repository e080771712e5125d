package org.slapgrid.master.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * A throwaway PostgreSQL server from Debian's binaries, for the store tests and the benchmark:
 * a data directory in a temporary directory, listening on 127.0.0.1 and a free port, its socket
 * in that directory, trust authentication (nothing else can reach it). As root, the server runs
 * as user {@code postgres} (initdb refuses root). {@link #close()} stops it and deletes it all.
 */
public final class LocalPostgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private LocalPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The newest {@code /usr/lib/postgresql/N/bin} holding initdb and pg_ctl, if any. */
    public static Optional<Path> findBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> {
                        try {
                            return Integer.parseInt(b.getParent().getFileName().toString());
                        } catch (NumberFormatException e) {
                            return 0;
                        }
                    }));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static LocalPostgres start(Path bin) throws IOException {
        return start(bin, 0);
    }

    /** As {@link #start(Path)}, on {@code fixedPort} (a benchmark's own range), or a free port when 0. */
    public static LocalPostgres start(Path bin, int fixedPort) throws IOException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("slapgrid-pg");
        int port = fixedPort;
        if (port == 0) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
        }
        LocalPostgres pg = new LocalPostgres(bin, dir, port, root);
        try {
            if (root) {
                run(List.of("chown", "postgres:postgres", dir.toString()), false);
            }
            pg.exec(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"));
            pg.exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                    "-l", dir.resolve("server.log").toString(),
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                    "start"));
            return pg;
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    public String createDatabase(String name) throws SQLException {
        return createDatabase(name, null);
    }

    /** Creates a database as a copy of {@code template} (a file copy: faster than migrating again). */
    public String createDatabase(String name, String template) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\""
                    + (template == null ? "" : " TEMPLATE \"" + template.replace("\"", "") + "\""));
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public int port() {
        return port;
    }

    private void exec(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        run(cmd, true);
    }

    private static void run(List<String> cmd, boolean fromTmp) throws IOException {
        ProcessExecutor pe = new ProcessExecutor().command(cmd).readOutput(true).redirectErrorStream(true)
                .timeout(120, TimeUnit.SECONDS); // zt-exec stops it then, even while it holds its output open
        if (fromTmp) {
            pe.directory(new java.io.File("/tmp")); // the postgres user may not enter the caller's directory
        }
        ProcessResult r;
        try {
            r = pe.execute();
        } catch (TimeoutException e) {
            throw new IOException("timed out: " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
        if (r.getExitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + r.getExitValue() + "): " + r.outputUTF8().strip());
        }
    }

    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
            }
        } catch (IOException e) {
            System.err.println("LocalPostgres: could not stop the server in " + dir + ": " + e.getMessage());
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temporary directory
            }
        }
    }
}
