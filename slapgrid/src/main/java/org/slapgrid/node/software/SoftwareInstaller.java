package org.slapgrid.node.software;

import org.slapgrid.slap.SoftwareUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slapgrid.node.buildout.BuildoutProcess;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.io.AtomicFiles;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SoftwareSupply;
import org.slapgrid.slap.model.SupplyState;

/**
 * {@code slapos node software}: builds every release supplied to the node into
 * {@code <software-root>/<md5 of the URL>/} with the buildout engine, as the unprivileged build
 * user, and removes the releases the master marks destroyed. {@code .completed} is written only
 * after a successful build, so an already built release costs nothing on the next run and a
 * failed one is built again. Each outcome is reported to the master (building, available,
 * error with the log tail, destroyed).
 */
public final class SoftwareInstaller {

    private static final int REPORT_TAIL = 4000;

    private final NodeConfig config;
    private final SlapClient master;
    private final BuildoutProcess buildout;
    private final RunAs builder;
    private final Duration timeout;
    private final Consumer<String> log;
    private final GitFetcher git = new GitFetcher();

    /**
     * @param builder who builds releases: the {@code slapsoft} user as root, the current user otherwise
     */
    public SoftwareInstaller(NodeConfig config, SlapClient master, BuildoutProcess buildout, RunAs builder,
                             Duration timeout, Consumer<String> log) {
        this.config = config;
        this.master = master;
        this.buildout = buildout;
        this.builder = builder;
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
        return config.softwareRoot().resolve(SoftwareUrl.parse(url).directoryName());
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
        Path dir = config.softwareRoot().resolve(parsed.directoryName());
        try {
            if (supply.requestedState() == SupplyState.DESTROYED) {
                boolean existed = Files.exists(dir);
                AtomicFiles.deleteTree(dir);
                AtomicFiles.deleteTree(stateDir(parsed));
                if (supply.reportedState() != SoftwareState.DESTROYED || existed) {
                    report(url, SoftwareState.DESTROYED, "");
                }
                return new SoftwareOutcome(url, SoftwareOutcome.Kind.REMOVED, "");
            }
            if (!force && Files.isRegularFile(dir.resolve(".completed"))) {
                if (supply.reportedState() != SoftwareState.AVAILABLE) {
                    report(url, SoftwareState.AVAILABLE, "");
                }
                return new SoftwareOutcome(url, SoftwareOutcome.Kind.ALREADY_BUILT, "");
            }
            return build(parsed, dir);
        } catch (IOException | RuntimeException e) {
            String msg = "node error while building: " + e.getMessage();
            report(url, SoftwareState.ERROR, msg);
            return new SoftwareOutcome(url, SoftwareOutcome.Kind.FAILED, msg);
        }
    }

    private SoftwareOutcome build(SoftwareUrl url, Path dir) throws IOException {
        log.accept(url.url() + ": building in " + dir);
        report(url.url(), SoftwareState.BUILDING, "");
        Path state = stateDir(url);
        Files.createDirectories(state);
        String profileUrl = switch (url.kind()) {
            case FILE -> url.path();
            case HTTP -> url.url();
            case GIT -> {
                Path tree = state.resolve("source");
                String commit = git.fetch(url, tree);
                log.accept(url.url() + ": fetched " + url.repository() + " at " + commit);
                makeReadable(tree);
                yield tree.resolve(url.path()).toString();
            }
        };
        Files.createDirectories(dir);
        if (builder.switchesUser()) {
            var lookup = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, lookup.lookupPrincipalByName(builder.user()));
        }
        Path profile = state.resolve("buildout.cfg");
        AtomicFiles.write(profile, "# Generated by the slapgrid node: builds " + url.url() + "\n[buildout]\nextends = "
                + profileUrl.replace("$", "$$") + "\n", "rw-r--r--");
        ExecResult r = buildout.run(profile, dir, List.of(), new RunAs(builder.user(), dir), timeout);
        AtomicFiles.write(state.resolve("build.log"), r.output(), "rw-------");
        if (!r.succeeded()) {
            String tail = r.output().length() <= REPORT_TAIL ? r.output() : "..." + r.output().substring(r.output().length() - REPORT_TAIL);
            report(url.url(), SoftwareState.ERROR, "buildout " + r.summary() + "\n" + tail);
            log.accept(url.url() + ": build failed (" + r.summary() + "), log in " + state.resolve("build.log"));
            return new SoftwareOutcome(url.url(), SoftwareOutcome.Kind.FAILED, "buildout " + r.summary());
        }
        // Written by the node as a temporary file renamed into place: a link planted there is replaced, never followed.
        AtomicFiles.write(dir.resolve(".completed"), Instant.now() + "\n", "rw-r--r--");
        report(url.url(), SoftwareState.AVAILABLE, "");
        log.accept(url.url() + ": available");
        return new SoftwareOutcome(url.url(), SoftwareOutcome.Kind.BUILT, "");
    }

    private Path stateDir(SoftwareUrl url) {
        return config.stateDirectory().resolve("software").resolve(url.directoryName());
    }

    private void report(String url, SoftwareState state, String log) {
        try {
            master.reportSoftware(config.nodeId(), url, state, log);
        } catch (RuntimeException e) {
            this.log.accept(url + ": could not report " + state + " to the master: " + e.getMessage());
        }
    }

    private static void makeReadable(Path tree) throws IOException {
        try (var walk = Files.walk(tree)) {
            for (Path p : walk.toList()) {
                var perms = java.util.EnumSet.copyOf(Files.getPosixFilePermissions(p));
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
                perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_READ);
                if (Files.isDirectory(p)) {
                    perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                    perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
                }
                Files.setPosixFilePermissions(p, perms);
            }
        }
        for (Path p = tree.getParent(); p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            // the state directory itself stays root's; only traversal is granted on the way
            var perms = java.util.EnumSet.copyOf(Files.getPosixFilePermissions(p));
            if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, perms);
            }
            if (p.getFileName() != null && p.getFileName().toString().equals("var")) {
                break;
            }
        }
    }

}
