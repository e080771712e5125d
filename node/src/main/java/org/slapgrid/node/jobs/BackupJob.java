package org.slapgrid.node.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slapgrid.node.exec.ExecResult;

/**
 * {@code backup}: runs the partition's {@code etc/backup} executable as the partition's user
 * into an empty directory given in {@code SLAPGRID_BACKUP_DIR}; then takes the directory back
 * (root's, nothing writable by the partition any more, so nothing in it changes while it is
 * read), packs it ({@link PartArchive}) and uploads it to the master with its sha256.
 * Result: {@code sha256}, {@code size}, {@code files}. docs/clusters.md has the contract.
 */
final class BackupJob implements JobKind {

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public Duration defaultTimeout() {
        return Duration.ofHours(1);
    }

    @Override
    public JobOutcome run(JobContext ctx) throws IOException {
        Path script = ctx.partition().directory().resolve("etc").resolve("backup");
        if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS) || !Files.isExecutable(script)) {
            return JobOutcome.failed("partition " + ctx.partition().id() + " has no etc/backup executable: its release cannot be backed up");
        }
        Path out = ctx.workDirectory().resolve("backup");
        Files.createDirectory(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwx------"));
        if (ctx.multiUser()) {
            UserPrincipal user = out.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(ctx.partition().user());
            Files.setOwner(out, user);
        }
        ExecResult r = ctx.run(List.of(script.toString()), Map.of("SLAPGRID_BACKUP_DIR", out.toString()));
        if (ctx.multiUser()) {
            takeBack(ctx, out);
        }
        if (!r.succeeded()) {
            return new JobOutcome(false, r.exitCode(), "etc/backup " + r.summary() + "\n" + r.output(), Map.of());
        }
        Path archive = ctx.workDirectory().resolve("part.tar.gz");
        PartArchive.Packed packed = PartArchive.pack(out, archive);
        ctx.master().uploadJobArtifact(ctx.nodeId(), ctx.partition().id(), ctx.job().id(), archive);
        return new JobOutcome(true, r.exitCode(), r.output(), Map.of("sha256", packed.sha256(), "size", packed.size(),
                "files", packed.files()));
    }

    /**
     * Makes the tree root's and unwritable by others before root reads it: the partition's
     * processes (its services still run) can then change nothing in it, even through a
     * directory they hold open. chown and chmod never follow a link they meet (-P, and chmod
     * skips links in a recursive walk).
     */
    private static void takeBack(JobContext ctx, Path out) throws IOException {
        Files.setPosixFilePermissions(ctx.workDirectory(), PosixFilePermissions.fromString("rwx------"));
        for (List<String> cmd : List.of(List.of("chown", "-R", "-P", "0:0", out.toString()),
                List.of("chmod", "-R", "go-w", out.toString()))) {
            ExecResult r = ctx.runAsNode(cmd);
            if (!r.succeeded()) {
                throw new IOException("cannot take back " + out + " (" + String.join(" ", cmd) + ": " + r.summary() + " " + r.output() + ")");
            }
        }
    }
}
