package org.slapgrid.node.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.io.Json;

/**
 * The last successful convergence of a partition: the hash of its inputs and when it happened.
 * Written only after full success (promises kept), so a partition that failed is retried on the
 * next run, as SlapOS does with its {@code .timestamp}.
 */
public record ConvergenceRecord(String inputsHash, Instant convergedAt) {

    private static final ObjectMapper JSON = Json.isoTimes();

    /** Why a partition must be converged now; empty when it can be skipped. */
    public static Optional<String> reasonToConverge(ConvergenceRecord last, String inputsHash, Instant now,
                                          Duration periodicity, boolean force) {
        if (force) {
            return Optional.of("forced");
        }
        if (last == null) {
            return Optional.of("never converged");
        }
        if (!last.inputsHash().equals(inputsHash)) {
            return Optional.of("inputs changed");
        }
        if (!periodicity.isZero() && !now.isBefore(last.convergedAt().plus(periodicity))) {
            return Optional.of("periodicity elapsed");
        }
        return Optional.empty();
    }

    public static ConvergenceRecord load(Path file) {
        try {
            return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), ConvergenceRecord.class) : null;
        } catch (IOException e) {
            return null; // unreadable: converge again, which rewrites it
        }
    }

    public void save(Path file) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsString(this) + "\n", "rw-------");
    }
}
