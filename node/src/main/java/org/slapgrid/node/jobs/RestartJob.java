package org.slapgrid.node.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.promise.PromiseResult;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.rpc.SupervisorClient;
import org.slapgrid.slap.tags.TagExpression;

/**
 * {@code restart}: stops and starts every supervised program of the partition (with
 * {@code args.tags}, those its tags select; never one held stopped on purpose), then runs its
 * promises until all are kept again (or the job's timeout). Done only when they are: a rolling
 * restart moves to the next member on that. A promise held with its services (tagged like a
 * service stopped by tag, or a failover standby's) is not run, as the convergence does not run
 * it: its service is stopped on purpose, not broken. Result: {@code programs} restarted, each
 * run promise's state and the {@code held} promises.
 */
final class RestartJob implements JobKind {
    private static final Duration RETRY = Duration.ofMillis(500);

    @Override
    public String name() {
        return "restart";
    }

    @Override
    public Duration defaultTimeout() {
        return Duration.ofMinutes(5);
    }

    @Override
    public JobOutcome run(JobContext ctx) throws IOException {
        long deadline = System.nanoTime() + ctx.timeout().toNanos();
        ctx.supervisor().ensureRunning();
        SupervisorClient client = ctx.supervisor().client();
        List<String> programs = new ArrayList<>();
        // args.tags (OpenSVC's expression, docs/tags.md): only the services it selects; and never
        // one stopped on purpose by tag, which a restart must not bring back
        String tags = ctx.arg("tags", null);
        TagExpression selection = tags == null ? null : TagExpression.parse(tags);
        var managed = ctx.supervisor().managedPrograms();
        for (ProcessInfo p : client.getAllProcessInfo()) {
            var m = managed.get(p.group());
            // held as last applied, or as the holds are now (a standby's, a rule newer than the last apply)
            boolean held = m != null && (m.spec().held() || ctx.holds().held(m.spec().tags()));
            boolean selected = selection == null || (m != null && selection.matches(m.spec().tags()));
            if (m != null && m.spec().partitionId().equals(ctx.partition().id())) {
                if (!held && selected) {
                    programs.add(p.spec());
                }
            }
        }
        for (String p : programs) {
            try {
                client.stopProcess(p, true);
            } catch (RuntimeException e) {
                // not running (it had exited): starting it is what counts
            }
            client.startProcess(p, true);
        }
        Path directory = ctx.partition().directory();
        Predicate<Path> heldPromise = ctx.holds().promisesHeld(directory);
        List<String> heldPromises = PartitionExecutor.executablesIn(directory.resolve("etc/promise")).stream()
                .filter(heldPromise).map(p -> p.getFileName().toString()).sorted().toList();
        List<PromiseResult> results = ctx.promises().run(directory, ctx.partitionUser(), heldPromise);
        while (results.stream().anyMatch(r -> !r.kept()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(RETRY.toMillis()); // back-off between promise runs while the services come up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the promises", e);
            }
            results = ctx.promises().run(directory, ctx.partitionUser(), heldPromise);
        }
        List<PromiseResult> broken = results.stream().filter(r -> !r.kept()).toList();
        Map<String, Object> result = Map.of("programs", programs,
                "promises", results.stream().collect(Collectors.toMap(PromiseResult::name, PromiseResult::kept, (a, b) -> a)),
                "held", heldPromises);
        String held = heldPromises.isEmpty() ? "" : "; " + heldPromises.size() + " held with their stopped services, not run ("
                + String.join(", ", heldPromises) + ")";
        if (!broken.isEmpty()) {
            return new JobOutcome(false, null, "restarted " + programs.size() + " programs, but promises are not kept after "
                    + ctx.timeout().toSeconds() + " s: " + broken.stream().map(b -> b.name() + " " + b.describe())
                    .collect(Collectors.joining("; ")) + held, result);
        }
        return new JobOutcome(true, 0, "restarted " + String.join(", ", programs) + "; " + results.size() + " promises kept" + held, result);
    }
}
