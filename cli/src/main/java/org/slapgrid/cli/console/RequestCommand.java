package org.slapgrid.cli.console;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos request NAME URL}: request (or update) an instance. Requesting again with other
 * parameters updates it. With {@code --wait}, shows a spinner on stderr until the instance
 * publishes connection parameters, then prints them.
 */
@Command(name = RequestCommand.NAME, mixinStandardHelpOptions = true,
        description = RequestCommand.SUMMARY)
public final class RequestCommand extends ClientCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "request";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Request instance NAME of the software release URL (again: update it).";

    private static final char[] SPIN = {'|', '/', '-', '\\'};

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "URL", description = "the software release")
    String url;

    @Option(names = "--type", paramLabel = "T", description = "software type (default: default)")
    String type;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "an instance parameter (repeatable; wins over --params-file)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--params-file", paramLabel = "F.json", description = "instance parameters as one JSON object")
    Path paramsFile;

    @Option(names = "--node", paramLabel = "N", description = "allocate on this node")
    String node;

    @Option(names = "--state", paramLabel = "S", description = "started (default), stopped or destroyed")
    String state;

    @Option(names = "--shared", description = "a shared instance, hosted by an existing instance of the release")
    boolean shared;

    @Option(names = "--wait", description = "wait until the node has applied this request and the instance has published"
            + " its connection parameters, then print them (exit 1 when the node reports an error)")
    boolean await;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "how long --wait waits (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    int run(SlapClient client) throws Exception {
        Map<String, Object> parameters = new LinkedHashMap<>();
        RequestedState requested;
        try {
            if (paramsFile != null) {
                parameters.putAll(readParams(paramsFile));
            }
            requested = state == null ? RequestedState.STARTED : RequestedState.parse(state);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        parameters.putAll(params);
        Instance i = client.request(new InstanceRequest(name, url, type, parameters, requested, shared,
                node == null ? Map.of() : Map.of("node", node)));
        if (!await) {
            return show(i, ClientCommand::printInstance);
        }
        Instance ready = waitForConnection(client, i);
        if (ready == null) {
            return failure("no connection parameters from " + name + " after " + timeoutSeconds + " s");
        }
        if (ready.reportedState() == InstanceState.ERROR) {
            return failure(name + " failed on its node:\n" + (ready.errorLog() == null ? "" : ready.errorLog()));
        }
        return show(ready.connectionParameters(), (connection, out) -> {
            Table t = new Table("PARAMETER", "VALUE");
            new TreeMap<>(connection).forEach(t::row);
            t.print(out);
        });
    }

    /** Polls the instance until it has connection parameters, spinning on stderr; null on timeout. */
    private Instance waitForConnection(SlapClient client, Instance first) throws InterruptedException {
        PrintWriter err = err();
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        Instance i = first;
        int frame = 0;
        try {
            // Ready when the node has reported on this very version of the request (so an update
            // is applied, not merely an older state present) and the instance has published.
            long version = first.timestamp();
            while (!(answers(i, version) && i.reportedState() == InstanceState.ERROR)
                    && (i.connectionParameters() == null || i.connectionParameters().isEmpty() || !answers(i, version))) {
                if (System.nanoTime() - deadline > 0) {
                    return null;
                }
                err.print("\r" + SPIN[frame++ % SPIN.length] + " waiting for " + name + " to publish its connection parameters ("
                        + state(i) + ")   ");
                err.flush();
                Thread.sleep(250); // a human-facing poll interval, not a test synchronisation
                i = client.info(name);
            }
            return i;
        } finally {
            err.print("\r\033[K");
            err.flush();
        }
    }

    /** True when the node's last report is on this version of the request (or later). */
    private static boolean answers(Instance i, long version) {
        return i.reportedTimestamp() != null ? i.reportedTimestamp() >= version : i.reportedState() != null;
    }

    private static Map<String, Object> readParams(Path file) {
        try {
            return Json.strict().readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("--params-file " + file + ": not a JSON object: " + e.getMessage().split("\n")[0]);
        }
    }
}
