package org.slapgrid.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real SQL query through a published {@code mysql://user:password@host:port/db} URL with
 * Debian's {@code mariadb} client. The password goes through the environment (MYSQL_PWD), not
 * the command line, so other users cannot see it in the process list.
 */
final class MysqlProof {

    private MysqlProof() {
    }

    static boolean query(URI url, DemoCommand.Progress progress) throws IOException, InterruptedException {
        String[] userInfo = url.getRawUserInfo() == null ? new String[] {"root", ""} : url.getRawUserInfo().split(":", 2);
        String user = URLDecoder.decode(userInfo[0], StandardCharsets.UTF_8);
        String password = userInfo.length > 1 ? URLDecoder.decode(userInfo[1], StandardCharsets.UTF_8) : "";
        String db = url.getPath() == null ? "" : url.getPath().replaceFirst("^/", "");
        String sql = "SELECT VERSION() AS version, DATABASE() AS db, CURRENT_USER() AS user, NOW() AS now";
        ProcessBuilder pb = new ProcessBuilder(List.of("mariadb", "--host", url.getHost(), "--port", Integer.toString(url.getPort()),
                "--user", user, "--table", "--execute", sql, db)).redirectErrorStream(true);
        pb.environment().put("MYSQL_PWD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        progress.info("mariadb client, " + sql + ":");
        out.lines().forEach(l -> progress.info("  " + l));
        return done && p.exitValue() == 0;
    }
}
