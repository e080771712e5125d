package org.slapgrid.node.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slapgrid.node.exec.ExecResult;

/**
 * {@code restore}: fetches the member's backup part from the master (args {@code sha256}:
 * checked), unpacks it ({@link PartArchive}) into a fresh directory, gives that to the
 * partition's user and runs the partition's {@code etc/restore} with {@code SLAPGRID_RESTORE_DIR}
 * naming it. The directory is removed as the partition's user afterwards (root never walks a
 * tree the partition controls).
 */
final class RestoreJob implements JobKind {
    /** The largest part a node fetches (the master's own upload limit is what bounds it in practice). */
    static final long MAX_PART_BYTES = Long.getLong("slapgrid.maxArtifactBytes", 4L << 30);

    @Override
    public String name() {
        return "restore";
    }

    @Override
    public Duration defaultTimeout() {
        return Duration.ofHours(1);
    }

    @Override
    public JobOutcome run(JobContext ctx) throws IOException {
        Path script = ctx.partition().directory().resolve("etc").resolve("restore");
        if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS) || !Files.isExecutable(script)) {
            return JobOutcome.failed("partition " + ctx.partition().id() + " has no etc/restore executable: its release cannot restore a backup");
        }
        Path archive = ctx.workDirectory().resolve("part.tar.gz");
        ctx.master().downloadJobArtifact(ctx.nodeId(), ctx.partition().id(), ctx.job().id(), archive, MAX_PART_BYTES);
        String expected = ctx.arg("sha256", null);
        String actual = PartArchive.sha256Of(archive);
        if (expected != null && !expected.equals(actual)) {
            return JobOutcome.failed("the backup part fetched has sha256 " + actual + ", not " + expected + " as recorded: not restored");
        }
        Path in = ctx.workDirectory().resolve("restore");
        Files.createDirectory(in);
        int files = PartArchive.unpack(archive, in);
        Files.delete(archive);
        if (ctx.multiUser()) {
            ExecResult own = ctx.runAsNode(List.of("chown", "-R", "-P", ctx.partition().user() + ":", in.toString()));
            if (!own.succeeded()) {
                throw new IOException("cannot give " + in + " to " + ctx.partition().user() + ": " + own.summary() + " " + own.output());
            }
        }
        Files.setPosixFilePermissions(in, PosixFilePermissions.fromString("rwx------"));
        ExecResult r;
        try {
            r = ctx.run(List.of(script.toString()), Map.of("SLAPGRID_RESTORE_DIR", in.toString()));
        } finally {
            // emptied as the partition's user; the empty directory (in root's) goes with the job's
            ExecResult rm = ctx.run(List.of("find", in.toString(), "-mindepth", "1", "-delete"), Map.of());
            if (!rm.succeeded()) {
                throw new IOException("cannot remove " + in + ": " + rm.summary() + " " + rm.output());
            }
        }
        if (!r.succeeded()) {
            return new JobOutcome(false, r.exitCode(), "etc/restore " + r.summary() + "\n" + r.output(), Map.of());
        }
        return new JobOutcome(true, r.exitCode(), r.output(), Map.of("files", files));
    }
}
