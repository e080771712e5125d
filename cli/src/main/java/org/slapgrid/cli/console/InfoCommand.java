package org.slapgrid.cli.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.PartitionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code slapos info NAME}: one instance, its parameters and connection parameters, and its status tree. */
@Command(name = InfoCommand.NAME, mixinStandardHelpOptions = true, description = {
        InfoCommand.SUMMARY,
        "last reported (services with state, pid, uptime and restarts; promises; last error)."})
public final class InfoCommand extends ClientCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "info";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Show instance NAME with its parameters and connection parameters, and the status its node";

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    int run(SlapClient client) throws Exception {
        Instance i = client.info(name);
        PartitionStatus status = statusOf(client);
        if (json()) {
            // The instance's fields and its status in one object: built only for --json (the
            // conversion starts Jackson's printer, which the plain form does not need).
            Map<String, Object> doc = org.slapgrid.cli.Json.fields(i);
            doc.put("status", status);
            printJson(doc);
            return ExitCode.OK;
        }
        printInstance(i, out());
        if (status != null) {
            printStatus(status, out());
        }
        out().flush();
        return ExitCode.OK;
    }

    /** The status tree, or null while the node has reported none. */
    private PartitionStatus statusOf(SlapClient client) {
        try {
            return client.status(name);
        } catch (SlapException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static void printStatus(PartitionStatus s, PrintWriter out) {
        long now = Instant.now().getEpochSecond();
        Table t = new Table("STATUS", "VALUE");
        if (s.reportedAt() != null) {
            t.row("reported", Instant.ofEpochMilli(s.reportedAt()).toString());
        }
        for (PartitionStatus.Service sv : s.services()) {
            String up = sv.startedAt() == null ? "" : ", up " + human(Duration.ofSeconds(Math.max(0, now - sv.startedAt())));
            t.row("service." + sv.name(), (sv.stoppedOnPurpose() ? held(sv) : sv.state())
                    + (sv.pid() == null ? "" : " pid " + sv.pid()) + up
                    + (sv.restarts() == 0 ? "" : ", " + sv.restarts() + " restart" + (sv.restarts() == 1 ? "" : "s"))
                    + (sv.tags().isEmpty() ? "" : "  [" + String.join(" ", sv.tags()) + "]"));
        }
        for (PartitionStatus.Promise p : s.promises()) {
            String last = p.output() == null ? "" : p.output().strip().lines().reduce((a, b) -> b).orElse("");
            t.row("promise." + p.name(), (p.kept() ? "kept" : "broken") + (last.isEmpty() ? "" : ": " + last));
        }
        if (s.lastError() != null && !s.lastError().isBlank()) {
            t.row("last-error", s.lastError().strip().lines().findFirst().orElse(""));
        }
        t.print(out);
    }

    /**
     * Why a service is stopped on purpose: a stop by tag at the master or on its node (with the
     * expression), or a failover standby (with the cluster). The node's words are printed only
     * after the master checked them (a tag expression, a name without control characters).
     */
    static String held(PartitionStatus.Service sv) {
        return "held: " + (sv.hold() == null ? "stopped on purpose" : sv.hold().label());
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : s < 86400 ? (s / 3600) + "h" + (s % 3600 / 60) + "m"
                : (s / 86400) + "d" + (s % 86400 / 3600) + "h";
    }
}
