package org.slapgrid.node.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.slap.model.SupplyState;
import org.slapgrid.slap.SoftwareUrl;

/**
 * Issue 10, findings 1 and 3, as the attacks: hostile software releases on a node that runs as
 * root with real users. Each test is the attack that worked on the node before (a release
 * whose links made root chmod root's files, a supplier making root clone what it could not
 * read, a process left by a build racing root's temporary file and root's deletion of the
 * release, one release's build rewriting another) and checks that it no longer does.
 */
class HostileReleaseTest {

    @TempDir
    Path tmp;

    /** A root-only directory and file, what the attacks aim at. */
    private Path secretDir;
    private Path secretFile;

    private void makeSecrets() throws IOException {
        secretDir = Files.createDirectories(tmp.resolve("secret"));
        secretFile = Files.writeString(secretDir.resolve("token"), "root's token\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(secretDir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void assumeRoot() {
        assumeTrue(NodeFixture.ROOT, "the attacks are on a node running as root (CI runs as root)");
    }

    @Test
    void aGitReleaseOfLinksToRootFilesMakesNoneOfThemReadable() throws Exception {
        assumeRoot();
        makeSecrets();
        Path origin = Files.createDirectories(tmp.resolve("origin"));
        try (Git g = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
            Files.writeString(origin.resolve("software.cfg"), "[buildout]\nparts =\n");
            Files.createSymbolicLink(origin.resolve("token-link"), secretFile);
            Files.createSymbolicLink(origin.resolve("dir-link"), secretDir);
            g.add().addFilepattern(".").call();
            g.commit().setMessage("links").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
        }
        try (NodeFixture n = NodeFixture.start(tmp, "node-git-links", "sgha", 1)) {
            String url = "git+" + origin.toUri() + "#main";
            n.admin().supply(url, n.nodeId(), SupplyState.AVAILABLE);
            assertBuilt(n);

            assertThat(mode(secretDir)).as("the root-only directory a link named").isEqualTo("rwx------");
            assertThat(mode(secretFile)).as("the root-only file a link named").isEqualTo("rw-------");
            assertThat(runAs("nobody", "cat", secretFile.toString())).as("nobody still cannot read it").isNotZero();
        }
    }

    @Test
    void aSupplierCannotMakeTheNodeCloneARepositoryTheBuildUserCannotRead() throws Exception {
        assumeRoot();
        Path hidden = Files.createDirectories(tmp.resolve("hidden"));
        Path origin = Files.createDirectories(hidden.resolve("repo"));
        try (Git g = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
            Files.writeString(origin.resolve("software.cfg"), "[buildout]\nparts =\n# root's private release\n");
            g.add().addFilepattern(".").call();
            g.commit().setMessage("private").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").call();
        }
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        try (NodeFixture n = NodeFixture.start(tmp, "node-git-private", "sghb", 1)) {
            String url = "git+" + origin.toUri() + "#main";
            n.admin().supply(url, n.nodeId(), SupplyState.AVAILABLE);
            assertThat(n.software().install(n.node().nodeInfo(n.nodeId()).software(), false)).as(n.log())
                    .extracting(SoftwareOutcome::kind).containsExactly(SoftwareOutcome.Kind.FAILED);
            try (Stream<Path> everything = Files.walk(tmp.resolve("opt")); Stream<Path> state = Files.walk(tmp.resolve("srv/var"))) {
                assertThat(Stream.concat(everything, state).filter(Files::isRegularFile)
                        .filter(p -> read(p).contains("root's private release")))
                        .as("the private release was copied nowhere").isEmpty();
            }
        }
    }

    @Test
    void aProcessLeftByTheBuildCannotRaceRootsCompletedMarker() throws Exception {
        assumeRoot();
        makeSecrets();
        Path pids = world(tmp.resolve("pids"));
        // The build leaves a process that swaps every temporary file of the node in the release's
        // tree for a link to root's token, hoping that root chmods or writes through it.
        Path release = release("racer", "setsid sh ${:_profile_base_location_}/racer.sh ${buildout:directory} "
                + secretFile + " " + pids.resolve("racer") + " </dev/null >/dev/null 2>&1 & " + awaitFile(pids.resolve("racer")));
        Files.writeString(release.resolve("racer.sh"), """
                echo $$ > "$3"
                end=$(( $(date +%s) + 60 ))
                while [ "$(date +%s)" -lt "$end" ]; do
                  for f in "$1"/.completed*.tmp; do
                    if [ -f "$f" ] && [ ! -L "$f" ]; then ln -sfn "$2" "$f.l" && mv -f "$f.l" "$f"; fi
                  done
                done
                """);
        try (NodeFixture n = NodeFixture.start(tmp, "node-race-marker", "sghc", 1)) {
            String url = release.resolve("software.cfg").toString();
            n.admin().supply(url, n.nodeId(), SupplyState.AVAILABLE);
            assertBuilt(n);

            long racer = Long.parseLong(Files.readString(pids.resolve("racer")).strip());
            assertThat(running(racer)).as("the process the build left is gone").isFalse();
            assertThat(mode(secretFile)).isEqualTo("rw-------");
            assertThat(Files.readString(secretFile)).isEqualTo("root's token\n");
            try (Stream<Path> tree = Files.list(n.software().directoryOf(url))) {
                assertThat(tree.map(p -> p.getFileName().toString())).as("no marker of root's in the build user's tree")
                        .noneMatch(name -> name.startsWith(".completed"));
            }
        }
    }

    @Test
    void aProcessLeftByTheBuildCannotMakeRootDeleteOutsideTheReleaseItRemoves() throws Exception {
        assumeRoot();
        Path target = Files.createDirectories(tmp.resolve("root-only"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(target.resolve(String.format("f%04d", i)), "root's file\n");
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Path pids = world(tmp.resolve("pids"));
        // The build makes victim/f0000..f0199, w0000..w2999 and zzz, and leaves a process that
        // waits for zzz to go (root deletes in reverse order of the names it listed), then swaps
        // victim for a link to root's directory while root still deletes the w files.
        Path release = release("swapper", "sh ${:_profile_base_location_}/make.sh ${buildout:directory} && setsid sh "
                + "${:_profile_base_location_}/swap.sh ${buildout:directory} " + target + " " + pids.resolve("swapper")
                + " </dev/null >/dev/null 2>&1 & " + awaitFile(pids.resolve("swapper")));
        Files.writeString(release.resolve("make.sh"), """
                mkdir -p "$1/victim"
                i=0; while [ $i -lt 200 ]; do : > "$1/victim/$(printf f%04d $i)"; i=$((i+1)); done
                i=0; while [ $i -lt 3000 ]; do : > "$1/$(printf w%04d $i)"; i=$((i+1)); done
                : > "$1/zzz"
                """);
        Files.writeString(release.resolve("swap.sh"), """
                echo $$ > "$3"
                end=$(( $(date +%s) + 60 ))
                while [ -e "$1/zzz" ] && [ "$(date +%s)" -lt "$end" ]; do :; done
                mv "$1/victim" "$1/victim.old" && ln -s "$2" "$1/victim"
                """);
        try (NodeFixture n = NodeFixture.start(tmp, "node-race-remove", "sghd", 1)) {
            String url = release.resolve("software.cfg").toString();
            n.admin().supply(url, n.nodeId(), SupplyState.AVAILABLE);
            assertBuilt(n);

            n.admin().supply(url, n.nodeId(), SupplyState.DESTROYED);
            List<SoftwareOutcome> removed = n.software().install(n.node().nodeInfo(n.nodeId()).software(), false);

            long swapper = Long.parseLong(Files.readString(pids.resolve("swapper")).strip());
            await().atMost(Duration.ofSeconds(30)).until(() -> !running(swapper));
            try (Stream<Path> left = Files.list(target)) {
                assertThat(left.count()).as("root's files next to the release").isEqualTo(200);
            }
            assertThat(removed).as(removed + "\n" + n.log()).extracting(SoftwareOutcome::kind)
                    .containsExactly(SoftwareOutcome.Kind.REMOVED);
            assertThat(n.software().directoryOf(url)).doesNotExist();
        }
    }

    @Test
    void aReleaseBuildCannotRewriteAnotherRelease() throws Exception {
        assumeRoot();
        Path victim = release("victim", "cp ${:_profile_base_location_}/instance.cfg.in ${buildout:directory}/instance.cfg");
        String profile = "[buildout]\nparts =\n# the victim's own profile\n";
        Files.writeString(victim.resolve("instance.cfg.in"), profile);
        String victimUrl = victim.resolve("software.cfg").toString();
        String victimDir = SoftwareUrl.parse(victimUrl).directoryName();
        // Built after the victim, the attacker rewrites the victim's instance profile (which
        // the node runs for the victim's instances) and plants a file of its own there.
        Path attacker = release("attacker", "echo '[evil]' >> ${buildout:directory}/../" + victimDir + "/instance.cfg; "
                + "echo evil > ${buildout:directory}/../" + victimDir + "/planted; true");
        try (NodeFixture n = NodeFixture.start(tmp, "node-cross-release", "sghe", 1)) {
            n.supplyAndBuild(victimUrl);
            n.supplyAndBuild(attacker.resolve("software.cfg").toString());

            Path tree = n.software().directoryOf(victimUrl);
            assertThat(Files.readString(tree.resolve("instance.cfg"))).as(n.log()).isEqualTo(profile);
            assertThat(tree.resolve("planted")).doesNotExist();
            // and the built release is root's and read-only to everyone else, links included
            try (Stream<Path> all = Files.walk(tree)) {
                for (Path p : all.toList()) {
                    assertThat(Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName()).as(p.toString()).isEqualTo("root");
                    if (!Files.isSymbolicLink(p)) {
                        assertThat(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)).as(p.toString())
                                .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
                    }
                }
            }
        }
    }

    private static void assertBuilt(NodeFixture n) {
        List<SoftwareOutcome> outcomes = n.software().install(n.node().nodeInfo(n.nodeId()).software(), false);
        assertThat(outcomes).as(outcomes + "\n" + n.log()).extracting(SoftwareOutcome::kind).containsExactly(SoftwareOutcome.Kind.BUILT);
    }

    /** A release directory whose build runs one shell command. */
    private Path release(String name, String command) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("releases").resolve(name));
        Files.writeString(dir.resolve("software.cfg"), "[buildout]\nparts = attack\n\n[attack]\n"
                + "recipe = plone.recipe.command\nstop-on-error = true\ncommand = " + command + "\n");
        return dir;
    }

    /** A shell loop that waits until the process started in the background wrote its pid. */
    private static String awaitFile(Path file) {
        return "while [ ! -s " + file + " ]; do sleep 0.05; done";
    }

    private static Path world(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        return dir;
    }

    /** True while the process runs (a zombie, which a container's init may never reap, does not). */
    private static boolean running(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .anyMatch(l -> l.startsWith("State:") && !l.contains("Z (") && !l.contains("X ("));
        } catch (IOException e) {
            return false;
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static int runAs(String user, String... command) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("runuser", "-u", user, "--"));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
