package org.slapgrid.node.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvergenceRecordTest {

    @TempDir
    Path dir;

    private static PartitionInputs inputs(Map<String, Object> parameters) {
        return new PartitionInputs("file:///sr/software.cfg", "default", parameters, "started", "d1", "[slap-connection]\n");
    }

    @Test
    void theHashIgnoresParameterOrderButNotValues() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", Map.of("y", 2, "x", 1));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", Map.of("x", 1, "y", 2));
        ba.put("a", 1);
        assertThat(inputs(ab).hash()).isEqualTo(inputs(ba).hash());
        assertThat(inputs(Map.of("a", 2)).hash()).isNotEqualTo(inputs(Map.of("a", 1)).hash());
        assertThat(inputs(Map.of("a", "1")).hash()).as("a string is not a number").isNotEqualTo(inputs(Map.of("a", 1)).hash());
    }

    @Test
    void decidesWhenToConverge() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Duration day = Duration.ofDays(1);
        ConvergenceRecord last = new ConvergenceRecord("h", t0);
        assertThat(ConvergenceRecord.reasonToConverge(null, "h", t0, day, false)).contains("never converged");
        assertThat(ConvergenceRecord.reasonToConverge(last, "h", t0.plusSeconds(60), day, false)).isEmpty();
        assertThat(ConvergenceRecord.reasonToConverge(last, "other", t0.plusSeconds(60), day, false)).contains("inputs changed");
        assertThat(ConvergenceRecord.reasonToConverge(last, "h", t0.plus(day), day, false)).contains("periodicity elapsed");
        assertThat(ConvergenceRecord.reasonToConverge(last, "h", t0.plus(day).plus(day), Duration.ZERO, false))
                .as("periodicity 0 never expires").isEmpty();
        assertThat(ConvergenceRecord.reasonToConverge(last, "h", t0, day, true)).contains("forced");
    }

    @Test
    void survivesARoundTripAndAnUnreadableFileMeansConvergeAgain() throws IOException {
        Path f = dir.resolve("converged.json");
        new ConvergenceRecord("abc", Instant.parse("2026-03-04T05:06:07Z")).save(f);
        assertThat(ConvergenceRecord.load(f)).isEqualTo(new ConvergenceRecord("abc", Instant.parse("2026-03-04T05:06:07Z")));
        Files.writeString(f, "{garbage");
        assertThat(ConvergenceRecord.load(f)).isNull();
        assertThat(ConvergenceRecord.load(dir.resolve("absent"))).isNull();
    }
}
