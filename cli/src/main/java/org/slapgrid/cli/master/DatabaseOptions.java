package org.slapgrid.cli.master;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.slapgrid.master.MasterConfig;
import picocli.CommandLine.Option;

/** {@code slapos master}'s database: {@code --db} and its password kept out of the command line. */
final class DatabaseOptions {

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB?user=U&password=P (default: SQLite DATA_DIR/master.db)")
    String db;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "file holding the database password (keeps it out of the command line)")
    Path passwordFile;

    /** {@code config} with the database given, if any; a bad one is an IllegalArgumentException naming the option. */
    MasterConfig applyTo(MasterConfig config) {
        if (db == null) {
            if (passwordFile != null) {
                throw new IllegalArgumentException("--db-password-file needs --db");
            }
            return config;
        }
        if (!db.startsWith("jdbc:sqlite:") && !db.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--db must be a jdbc:sqlite: or jdbc:postgresql: URL");
        }
        String url = db;
        if (passwordFile != null) {
            String pw = MasterCommand.secret("--db-password-file", passwordFile);
            url += (url.contains("?") ? "&" : "?") + "password=" + java.net.URLEncoder.encode(pw, StandardCharsets.UTF_8);
        }
        return config.withDb(url);
    }
}
