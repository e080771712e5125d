package org.slapgrid.node.software;

import org.slapgrid.slap.SoftwareUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slapgrid.node.buildout.BuildoutProcess;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.exec.UserProcesses;
import org.slapgrid.node.format.UnixAccounts;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.io.TreeHandles;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SoftwareSupply;
import org.slapgrid.slap.model.SupplyState;

/**
 * {@code slapos node software}: builds every release supplied to the node into
 * {@code <software-root>/<md5 of the URL>/} with the buildout engine, and removes the releases
 * the master marks destroyed. Each outcome is reported to the master (building, available,
 * error with the log tail, destroyed).
 *
 * <p>As root, each release builds as its own user ({@link BuildUsers}), git included, in a tree
 * only that user can enter (0700). Once the build succeeded, every process of that user is
 * ended and the tree becomes root's and read-only ({@link TreeHandles#freeze}); only then does
 * the node write its {@code completed} marker, in its own state directory
 * ({@link ReleasePlace}), never in the tree. A release already built costs nothing on the next
 * run; a failed one is built again. Removing a release ends its user's processes, deletes what
 * is the user's as the user, the rest through directory handles, then the user.
 */
public final class SoftwareInstaller {

    private static final int REPORT_TAIL = 4000;

    private final NodeConfig config;
    private final SlapClient master;
    private final BuildoutProcess buildout;
    private final BuildUsers users;
    private final PartitionExecutor executor = new PartitionExecutor();
    private final Duration timeout;
    private final Consumer<String> log;
    private final GitFetcher git = new GitFetcher();

    /**
     * @param users who builds releases: a user per release as root, the current user otherwise
     */
    public SoftwareInstaller(NodeConfig config, SlapClient master, BuildoutProcess buildout, BuildUsers users,
                             Duration timeout, Consumer<String> log) {
        this.config = config;
        this.master = master;
        this.buildout = buildout;
        this.users = users;
        this.timeout = timeout;
        this.log = log;
    }

    public List<SoftwareOutcome> install(List<SoftwareSupply> supplies, boolean force) {
        List<SoftwareOutcome> out = new ArrayList<>();
        for (SoftwareSupply s : supplies) {
            out.add(installOne(s, force));
        }
        return out;
    }

    /** Where a release is built. */
    public Path directoryOf(String url) {
        return ReleasePlace.of(config, url).tree();
    }

    /** True when the release is built (and, as root, frozen): the node's marker is there. */
    public boolean built(String url) {
        return ReleasePlace.of(config, url).built();
    }

    /** Builds (or removes) one supplied release; the daemon's software workers call it per release. */
    public SoftwareOutcome installOne(SoftwareSupply supply, boolean force) {
        String url = supply.url();
        SoftwareUrl parsed;
        try {
            parsed = SoftwareUrl.parse(url);
        } catch (IllegalArgumentException e) {
            report(url, SoftwareState.ERROR, e.getMessage());
            return new SoftwareOutcome(url, SoftwareOutcome.Kind.FAILED, e.getMessage());
        }
        ReleasePlace place = ReleasePlace.of(config, parsed);
        try {
            if (supply.requestedState() == SupplyState.DESTROYED) {
                boolean existed = Files.exists(place.tree(), LinkOption.NOFOLLOW_LINKS);
                remove(place);
                if (supply.reportedState() != SoftwareState.DESTROYED || existed) {
                    report(url, SoftwareState.DESTROYED, "");
                }
                return new SoftwareOutcome(url, SoftwareOutcome.Kind.REMOVED, "");
            }
            if (!force && place.built()) {
                if (supply.reportedState() != SoftwareState.AVAILABLE) {
                    report(url, SoftwareState.AVAILABLE, "");
                }
                return new SoftwareOutcome(url, SoftwareOutcome.Kind.ALREADY_BUILT, "");
            }
            return build(place);
        } catch (IOException | RuntimeException e) {
            String msg = "node error while building: " + e.getMessage();
            report(url, SoftwareState.ERROR, msg);
            return new SoftwareOutcome(url, SoftwareOutcome.Kind.FAILED, msg);
        }
    }

    private SoftwareOutcome build(ReleasePlace place) throws IOException {
        SoftwareUrl url = place.url();
        Path dir = place.tree();
        log.accept(url.url() + ": building in " + dir);
        report(url.url(), SoftwareState.BUILDING, "");
        Files.deleteIfExists(place.completed()); // a rebuild: not built until it succeeds again
        Files.createDirectories(place.state());
        RunAs who = users.ensure(place);
        prepareTree(place, who);
        String profileUrl;
        if (url.kind() == SoftwareUrl.Kind.GIT) {
            String commit = fetch(place, who);
            if (commit == null) {
                return failed(place, who, "git fetch failed", place.buildLog());
            }
            log.accept(url.url() + ": fetched " + url.repository() + " at " + commit);
            profileUrl = place.gitSource().resolve(url.path()).toString();
        } else {
            profileUrl = url.kind() == SoftwareUrl.Kind.FILE ? url.path() : url.url();
        }
        AtomicFiles.write(place.buildProfile(), "# Generated by the slapgrid node: builds " + url.url() + "\n[buildout]\nextends = "
                + profileUrl.replace("$", "$$") + "\n", "rw-r--r--");
        ExecResult r = buildout.run(place.buildProfile(), dir, List.of(), who, timeout);
        AtomicFiles.write(place.buildLog(), r.output(), "rw-------");
        if (!r.succeeded()) {
            String tail = r.output().length() <= REPORT_TAIL ? r.output() : "..." + r.output().substring(r.output().length() - REPORT_TAIL);
            report(url.url(), SoftwareState.ERROR, "buildout " + r.summary() + "\n" + tail);
            log.accept(url.url() + ": build failed (" + r.summary() + "), log in " + place.buildLog());
            endProcesses(who);
            return new SoftwareOutcome(url.url(), SoftwareOutcome.Kind.FAILED, "buildout " + r.summary());
        }
        freeze(place, who);
        AtomicFiles.write(place.completed(), Instant.now() + "\n", "rw-------");
        report(url.url(), SoftwareState.AVAILABLE, "");
        log.accept(url.url() + ": available");
        return new SoftwareOutcome(url.url(), SoftwareOutcome.Kind.BUILT, "");
    }

    private SoftwareOutcome failed(ReleasePlace place, RunAs who, String what, Path logFile) throws IOException {
        String output = Files.isRegularFile(logFile) ? Files.readString(logFile) : "";
        String tail = output.length() <= REPORT_TAIL ? output : "..." + output.substring(output.length() - REPORT_TAIL);
        report(place.url().url(), SoftwareState.ERROR, what + "\n" + tail);
        log.accept(place.url().url() + ": " + what + ", log in " + logFile);
        endProcesses(who);
        return new SoftwareOutcome(place.url().url(), SoftwareOutcome.Kind.FAILED, what);
    }

    /**
     * The tree as the build needs it: the builder's, 0700 (no one else enters it while it may
     * still change). A tree frozen by an earlier build is given back; nothing is done while a
     * process of the builder still runs.
     */
    private void prepareTree(ReleasePlace place, RunAs who) throws IOException {
        Path dir = place.tree();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(config.softwareRoot());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!users.perRelease()) {
            return;
        }
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals("root") && !owner.equals(who.user())) {
            log.accept(place.url().url() + ": " + dir + " was built by " + owner + " (an older node): building it again from scratch");
            deleteTree(place);
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        endProcesses(who);
        var lookup = dir.getFileSystem().getUserPrincipalLookupService();
        TreeHandles.thaw(dir, lookup.lookupPrincipalByName("root"), lookup.lookupPrincipalByName(who.user()),
                lookup.lookupPrincipalByGroupName(who.user()));
        // the top is in the software root, root's: its path cannot be swapped
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Ends the builder's processes, then makes the tree root's and read-only, readable by all (0755 at the top). */
    private void freeze(ReleasePlace place, RunAs who) throws IOException {
        if (!users.perRelease()) {
            return;
        }
        endProcesses(who);
        var lookup = place.tree().getFileSystem().getUserPrincipalLookupService();
        TreeHandles.freeze(place.tree(), lookup.lookupPrincipalByName(who.user()), lookup.lookupPrincipalByName("root"),
                lookup.lookupPrincipalByGroupName("root"));
        Files.setPosixFilePermissions(place.tree(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void endProcesses(RunAs who) throws IOException {
        if (users.perRelease()) {
            UserProcesses.endAll(who.user(), executor);
        }
    }

    /** Fetches a git release as its builder; returns the commit, or null with the output in the build log. */
    private String fetch(ReleasePlace place, RunAs who) throws IOException {
        if (!who.switchesUser()) {
            return git.fetch(place.url(), place.gitSource());
        }
        ExecResult r = buildout.runMain(GitFetchMain.class.getName(), List.of(place.url().url(), place.gitSource().toString()),
                who, timeout);
        AtomicFiles.write(place.buildLog(), r.output(), "rw-------");
        return r.succeeded() ? GitFetchMain.commitOf(r.output()) : null;
    }

    /** Removes a release: its tree, the node's record of it, then its builder. */
    private void remove(ReleasePlace place) throws IOException {
        deleteTree(place);
        AtomicFiles.deleteTree(place.state());
        users.delete(place);
    }

    /**
     * Deletes a release's tree. The processes of its builder (whoever owns the tree, or the
     * release's user) are ended first; what is still the builder's (a tree that never finished
     * building) is deleted as the builder, who may only delete what it could write anyway; the
     * rest (a frozen tree, root's) through directory handles.
     */
    private void deleteTree(ReleasePlace place) throws IOException {
        Path dir = place.tree();
        if (users.perRelease()) {
            boolean present = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
            String owner = present ? Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName() : null;
            String builder = owner != null && !owner.equals("root") && UnixAccounts.exists(owner) ? owner
                    : users.exists(place) ? users.nameOf(place) : null;
            if (builder != null) {
                UserProcesses.endAll(builder, executor);
            }
            if (builder != null && builder.equals(owner)) {
                RunAs who = new RunAs(builder, Path.of("/"));
                executor.run(List.of("chmod", "-R", "u+rwX", "--", dir.toString()), who, Map.of(), timeout);
                executor.run(List.of("find", dir.toString(), "-mindepth", "1", "-delete"), who, Map.of(), timeout);
            }
        }
        TreeHandles.delete(dir);
    }

    private void report(String url, SoftwareState state, String log) {
        try {
            master.reportSoftware(config.nodeId(), url, state, log);
        } catch (RuntimeException e) {
            this.log.accept(url + ": could not report " + state + " to the master: " + e.getMessage());
        }
    }
}
