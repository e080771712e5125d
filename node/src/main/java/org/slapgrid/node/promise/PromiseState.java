package org.slapgrid.node.promise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.io.Json;

/**
 * The last promise results of one partition, kept in the node's own state directory (never in
 * the partition, which its user controls), for {@code slapos node status} and to tell a promise
 * that breaks from one that recovers.
 */
public final class PromiseState {

    private static final ObjectMapper JSON = Json.isoTimes().enable(SerializationFeature.INDENT_OUTPUT);

    /** A promise whose state changed since the previous run. */
    public record Change(String name, boolean nowKept, PromiseResult result) {
        public String describe() {
            return (nowKept ? "promise " + name + " recovered" : "promise " + name + " broke: " + result.describe());
        }
    }

    private final Path file;

    public PromiseState(Path file) {
        this.file = file;
    }

    public List<PromiseResult> load() throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return JSON.readValue(file.toFile(), new TypeReference<List<PromiseResult>>() { });
    }

    /**
     * Saves the new results and returns what changed: broken ones (new or newly broken) and
     * recovered ones. The file is rewritten only when a result changed (not just its time): an
     * unchanged node writes nothing, for each partition on every round.
     */
    public List<Change> record(List<PromiseResult> results) throws IOException {
        List<PromiseResult> previous = load();
        Map<String, PromiseResult> before = previous.stream().collect(Collectors.toMap(PromiseResult::name, Function.identity()));
        List<Change> changes = new ArrayList<>();
        for (PromiseResult r : results) {
            PromiseResult old = before.get(r.name());
            boolean wasKept = old == null || old.kept();
            if (r.kept() != wasKept) {
                changes.add(new Change(r.name(), r.kept(), r));
            }
        }
        if (!Files.isRegularFile(file) || !sameOutcomes(previous, results)) {
            AtomicFiles.write(file, JSON.writeValueAsString(results), "rw-------");
        }
        return changes;
    }

    /** Same promises with the same verdicts, exit codes and output; times aside. */
    private static boolean sameOutcomes(List<PromiseResult> a, List<PromiseResult> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            PromiseResult x = a.get(i);
            PromiseResult y = b.get(i);
            if (!x.name().equals(y.name()) || x.kept() != y.kept() || x.exitCode() != y.exitCode()
                    || x.timedOut() != y.timedOut() || !x.output().equals(y.output())) {
                return false;
            }
        }
        return true;
    }
}
