package org.slapgrid.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

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
        ProcessResult r;
        try {
            r = new ProcessExecutor().command(List.of("mariadb", "--host", url.getHost(), "--port", Integer.toString(url.getPort()),
                            "--user", user, "--table", "--execute", sql, db))
                    .environment("MYSQL_PWD", password).readOutput(true).redirectErrorStream(true)
                    .timeout(30, TimeUnit.SECONDS).execute();
        } catch (TimeoutException e) {
            progress.info("mariadb client, " + sql + ": no answer within 30 s");
            return false;
        }
        progress.info("mariadb client, " + sql + ":");
        r.outputUTF8().lines().forEach(l -> progress.info("  " + l));
        return r.getExitValue() == 0;
    }
}
