package org.slapgrid.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.slapgrid.node.supervisor.PartitionPrograms.DesiredState.STARTED;
import static org.slapgrid.node.supervisor.PartitionPrograms.DesiredState.STOPPED;
import static org.slapgrid.node.supervisor.SupervisordFixture.script;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.supervisor.crash.CrashListener;
import org.slapgrid.node.supervisor.crash.CrashRateLimit;
import org.slapgrid.node.supervisor.crash.CrashReport;
import org.slapgrid.node.supervisor.crash.CrashSummary;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.crash.RestartPolicy;
import org.slapgrid.node.supervisor.crash.WatchSettings;
import org.slapgrid.node.supervisor.lifecycle.ProcFs;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.node.supervisor.rpc.SupervisorClient;
import org.slapgrid.node.supervisor.rpc.XmlRpcFault;
import org.slapgrid.testing.Require;

/** The supervisor layer against a real supervisord, one per test, in a temporary directory. */
class RealSupervisordTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path tmp;
    Supervisor supervisor;
    CrashWatcher watcher;
    SupervisordFixture.Recorder recorder = new SupervisordFixture.Recorder();
    Path part0;

    @BeforeEach
    void setUp() throws Exception {
        SupervisordFixture.requireSupervisord();
        supervisor = new Supervisor(SupervisordFixture.settings(tmp.resolve("node")));
        part0 = tmp.resolve("slappart0");
        Files.createDirectories(part0);
    }

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close();
        }
        if (supervisor != null) {
            SupervisordFixture.stopSupervisord(supervisor); // stops every program: no stray processes
        }
    }

    private void watch(RestartPolicy policy, CrashRateLimit limit) {
        watcher = new CrashWatcher(supervisor, recorder, WatchSettings.defaults()
                .withPollInterval(Duration.ofMillis(100)).withRestartPolicy(policy).withRateLimit(limit));
        watcher.start();
    }

    private void watch() {
        watch(new RestartPolicy(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(60)),
                CrashRateLimit.defaults());
    }

    private ProcessInfo info(String program) {
        return supervisor.client().getProcessInfo(program + ":" + program);
    }

    private int runningPid(String program) {
        await().atMost(WAIT).until(() -> info(program).state() == ProcessState.RUNNING);
        return info(program).pid();
    }

    @Test
    void startsOneSupervisordOnAPrivateSocketAndNeverASecond() throws Exception {
        assertThat(supervisor.ensureRunning()).isEqualTo(Supervisor.StartOutcome.STARTED);
        int pid = supervisor.client().getPID();

        assertThat(supervisor.ensureRunning()).isEqualTo(Supervisor.StartOutcome.ALREADY_RUNNING);
        Supervisor other = new Supervisor(SupervisordFixture.settings(tmp.resolve("node")));
        assertThat(other.ensureRunning()).isEqualTo(Supervisor.StartOutcome.ALREADY_RUNNING);
        assertThat(supervisor.client().getPID()).isEqualTo(pid);

        Path socket = supervisor.settings().layout().socket();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
        assertThat(supervisor.client().getState()).isEqualTo(new SupervisorClient.DaemonState(1, "RUNNING"));
    }

    /**
     * A shutdown while another thread starts supervisord (a crash watcher reviving it, as a test
     * shuts its node down) stops what that start started: it used to find the socket not answering
     * yet, return at once, and leave the new supervisord running for ever.
     */
    @Test
    void aShutdownDuringAStartStopsTheSupervisordThatStartStarted() throws Exception {
        String conf = supervisor.settings().layout().configFile().toString();
        java.util.concurrent.CompletableFuture<Supervisor.StartOutcome> start =
                java.util.concurrent.CompletableFuture.supplyAsync(supervisor::ensureRunning);
        // supervisord is launched (the start is under way) but its socket may not answer yet
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> !supervisords(conf).isEmpty());
        supervisor.shutdown();

        assertThat(start.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(Supervisor.StartOutcome.STARTED);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(supervisords(conf)).as("a supervisord left on " + conf).isEmpty());
        assertThat(supervisor.client().isRunning()).isFalse();
    }

    private static List<Long> supervisords(String conf) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains("supervisord") && c.contains(conf)).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    @Test
    void generatedConfigurationIsAcceptedBySupervisordAtStartup() throws Exception {
        script(part0, "service", "web", "exec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        runningPid("slappart0_web");
        supervisor.shutdown();

        // supervisord -c now reads the partition file from its [include] at startup.
        assertThat(supervisor.ensureRunning()).isEqualTo(Supervisor.StartOutcome.STARTED);
        runningPid("slappart0_web");
        assertThat(info("slappart0_web").stdoutLogfile())
                .isEqualTo(supervisor.settings().layout().partitionLogDir("slappart0").resolve("slappart0_web.log").toString());
    }

    @Test
    void changingOneServiceRestartsOnlyIt() throws Exception {
        watch();
        script(part0, "service", "a", "exec sleep 1000");
        script(part0, "service", "b", "exec sleep 1001");
        ApplyResult first = supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        assertThat(first.added()).containsExactly("slappart0_a", "slappart0_b");
        int pidA = runningPid("slappart0_a");
        int pidB = runningPid("slappart0_b");

        ApplyResult same = supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        assertThat(same.changedNothing()).isTrue();

        script(part0, "service", "b", "exec sleep 1002");
        ApplyResult second = supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        assertThat(second.changed()).containsExactly("slappart0_b");
        assertThat(second.added()).isEmpty();

        await().atMost(WAIT).until(() -> info("slappart0_b").state() == ProcessState.RUNNING
                && info("slappart0_b").pid() != pidB);
        assertThat(info("slappart0_a").pid()).isEqualTo(pidA);
        assertThat(info("slappart0_a").state()).isEqualTo(ProcessState.RUNNING);
        assertThat(recorder.crashes).isEmpty();
    }

    @Test
    void stoppedPartitionHasItsProgramsStoppedAndRemovedPartitionIsGone() throws Exception {
        watch();
        script(part0, "service", "a", "exec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        int pid = runningPid("slappart0_a");

        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STOPPED)));
        assertThat(info("slappart0_a").state()).isEqualTo(ProcessState.STOPPED);
        assertThat(ProcFs.isAlive(pid)).isFalse();

        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        runningPid("slappart0_a");

        ApplyResult removal = supervisor.apply(List.of());
        assertThat(removal.removed()).containsExactly("slappart0_a");
        assertThat(supervisor.client().getAllProcessInfo()).isEmpty();
        assertThat(supervisor.settings().layout().partitionFile("slappart0")).doesNotExist();
        assertThat(recorder.crashes).isEmpty();
    }

    @Test
    void killedServiceIsRestartedAndItsCrashReportedWithStatusAndLogTail() throws Exception {
        watch();
        script(part0, "service", "db", "echo \"db starting\"\nexec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        int pid = runningPid("slappart0_db");

        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL

        await().atMost(WAIT).until(() -> !recorder.of("slappart0_db").isEmpty());
        CrashReport crash = recorder.of("slappart0_db").get(0);
        assertThat(crash.partitionId()).isEqualTo("slappart0");
        assertThat(crash.kind()).isEqualTo(ProgramSpec.Kind.WATCHED);
        assertThat(crash.exitStatus()).isEqualTo(-1); // supervisord's status for "killed by a signal"
        assertThat(crash.logTail()).contains("db starting");
        assertThat(crash.restartIn()).isEqualTo(Duration.ofMillis(200));
        await().atMost(WAIT).until(() -> info("slappart0_db").state() == ProcessState.RUNNING
                && info("slappart0_db").pid() != pid);
    }

    @Test
    void crashLoopYieldsABoundedNumberOfReportsAndASummary() throws Exception {
        watch(new RestartPolicy(Duration.ofMillis(20), Duration.ofMillis(80), Duration.ofSeconds(60)),
                new CrashRateLimit(2, Duration.ofSeconds(2)));
        Path runs = tmp.resolve("runs");
        script(part0, "service", "flaky", "echo run >> " + runs + "\necho 'flaky failing'\nexit 3");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));

        await().atMost(WAIT).until(() -> Files.exists(runs) && Files.readAllLines(runs).size() >= 6);
        await().atMost(WAIT).until(() -> !recorder.summaries.isEmpty());

        assertThat(watcher.consecutiveCrashes("slappart0_flaky")).isGreaterThanOrEqualTo(5);
        CrashSummary summary = recorder.summaries.get(0);
        assertThat(summary.program()).isEqualTo("slappart0_flaky");
        assertThat(summary.suppressed()).isGreaterThanOrEqualTo(3);
        assertThat(summary.last().exitStatus()).isEqualTo(3);
        // Reports within the first window: exactly the limit, each with its status and log.
        List<CrashReport> firstWindow = recorder.of("slappart0_flaky").stream()
                .filter(c -> c.at().isBefore(summary.windowEnd())).toList();
        assertThat(firstWindow).hasSize(2);
        assertThat(firstWindow).allSatisfy(c -> {
            assertThat(c.exitStatus()).isEqualTo(3);
            assertThat(c.logTail()).contains("flaky failing");
        });
        // Backoff grows: the delays announced double up to the cap.
        assertThat(recorder.of("slappart0_flaky").get(1).restartIn()).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void runOnceScriptExitingZeroIsNotACrashButAFailingOneIs() throws Exception {
        watch();
        script(part0, "run", "init", "echo initialised");
        script(part0, "run", "broken", "echo 'cannot migrate'\nexit 4");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));

        await().atMost(WAIT).until(() -> info("slappart0_init").state() == ProcessState.EXITED
                && info("slappart0_broken").state() == ProcessState.EXITED);
        long pollsAfterBothExited = watcher.polls();
        await().atMost(WAIT).until(() -> watcher.polls() >= pollsAfterBothExited + 2);

        assertThat(recorder.of("slappart0_init")).isEmpty();
        assertThat(recorder.of("slappart0_broken")).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(ProgramSpec.Kind.RUN_ONCE);
            assertThat(c.exitStatus()).isEqualTo(4);
            assertThat(c.restartIn()).isNull();
            assertThat(c.logTail()).contains("cannot migrate");
        });
        assertThat(info("slappart0_init").exitStatus()).isZero();
        assertThat(info("slappart0_broken").state()).isEqualTo(ProcessState.EXITED); // not restarted
    }

    @Test
    void supervisordKilledIsRestartedWithoutLeavingItsOldProgramsRunning() throws Exception {
        script(part0, "service", "web", "exec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        int oldProgram = runningPid("slappart0_web");
        long oldSupervisord = supervisor.client().getPID();

        ProcessHandle.of(oldSupervisord).orElseThrow().destroyForcibly();
        await().atMost(WAIT).until(() -> !ProcFs.isAlive(oldSupervisord));
        assertThat(supervisor.client().isRunning()).isFalse();

        assertThat(supervisor.ensureRunning()).isEqualTo(Supervisor.StartOutcome.RESTARTED_AFTER_DEATH);
        assertThat(supervisor.client().getPID()).isNotEqualTo(oldSupervisord);
        await().atMost(WAIT).until(() -> !ProcFs.isAlive(oldProgram));
        int newProgram = runningPid("slappart0_web");
        assertThat(newProgram).isNotEqualTo(oldProgram);
    }

    @Test
    void aRestartedNodeTakesOverRunningProgramsWithoutRestartingThem() throws Exception {
        script(part0, "service", "a", "exec sleep 1000");
        script(part0, "run", "init", "echo once");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        int pid = runningPid("slappart0_a");
        await().atMost(WAIT).until(() -> info("slappart0_init").state() == ProcessState.EXITED);

        // A new node process: fresh objects, same files, same supervisord.
        Supervisor restarted = new Supervisor(SupervisordFixture.settings(tmp.resolve("node")));
        assertThat(restarted.ensureRunning()).isEqualTo(Supervisor.StartOutcome.ALREADY_RUNNING);
        // It knows the programs from the files on disk before applying anything...
        assertThat(restarted.managedPrograms()).isEqualTo(supervisor.managedPrograms());
        assertThat(restarted.managedPrograms().get("slappart0_a").spec().kind()).isEqualTo(ProgramSpec.Kind.WATCHED);
        ApplyResult result = restarted.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));

        // ...and applying the same partition changes nothing.
        assertThat(result.changedNothing()).isTrue();
        assertThat(restarted.managedPrograms()).containsOnlyKeys("slappart0_a", "slappart0_init");
        assertThat(info("slappart0_a").pid()).isEqualTo(pid);
        assertThat(info("slappart0_init").state()).isEqualTo(ProcessState.EXITED); // not run again
    }

    @Test
    void aRestartedNodeWatchesProgramsOfPartitionsItHasNotAppliedYet() throws Exception {
        script(part0, "service", "db", "echo db up\nexec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        int pid = runningPid("slappart0_db");

        supervisor = new Supervisor(SupervisordFixture.settings(tmp.resolve("node"))); // the node restarted
        watch();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(WAIT).until(() -> !recorder.of("slappart0_db").isEmpty());
        assertThat(recorder.of("slappart0_db").get(0).logTail()).contains("db up");
        await().atMost(WAIT).until(() -> info("slappart0_db").state() == ProcessState.RUNNING
                && info("slappart0_db").pid() != pid);
    }

    @Test
    void theWatcherStartsSupervisordAgainWhenItDies() throws Exception {
        watch();
        script(part0, "service", "web", "exec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        runningPid("slappart0_web");
        long old = supervisor.client().getPID();

        ProcessHandle.of(old).orElseThrow().destroyForcibly();

        await().atMost(WAIT).until(() -> supervisor.client().isRunning() && supervisor.client().getPID() != old);
        runningPid("slappart0_web");
        assertThat(recorder.crashes).isEmpty();
    }

    @Test
    void programsRunAsThePartitionUserWhenTheNodeIsRoot() throws Exception {
        Require.root("supervisord can only switch to the partition user when it runs as root");
        for (Path p = part0; p != null && p.startsWith(tmp.getParent()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        script(part0, "service", "who", "id -un\nexec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, "nobody", STARTED)));
        runningPid("slappart0_who");
        await().atMost(WAIT).until(() -> supervisor.client().tailProcessStdoutLog("slappart0_who:slappart0_who", 100)
                .contains("nobody"));
    }

    @Test
    void updatingOnePartitionLeavesTheOthersAloneAndBadInputChangesNothing() throws Exception {
        Path part1 = tmp.resolve("slappart1");
        script(part0, "service", "a", "exec sleep 1000");
        script(part1, "service", "b", "exec sleep 1000");
        supervisor.update(PartitionPrograms.scan("slappart0", part0, null, STARTED));
        supervisor.update(PartitionPrograms.scan("slappart1", part1, null, STARTED));
        int pidA = runningPid("slappart0_a");
        runningPid("slappart1_b");
        Path file0 = supervisor.settings().layout().partitionFile("slappart0");
        String before = Files.readString(file0);

        script(part0, "service", "a", "exec sleep 2000"); // would change slappart0_a...
        List<PartitionPrograms> withBadOne = List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED),
                new PartitionPrograms("slappart1", part1, "no such user!", STARTED, List.of("b"), List.of()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> supervisor.apply(withBadOne))
                .hasMessageContaining("partition slappart1: user name 'no such user!'");
        assertThat(Files.readString(file0)).isEqualTo(before); // ...but nothing was touched
        assertThat(info("slappart0_a").pid()).isEqualTo(pidA);

        ApplyResult removed = supervisor.remove("slappart1");
        assertThat(removed.removed()).containsExactly("slappart1_b");
        assertThat(info("slappart0_a").pid()).isEqualTo(pidA);
        assertThat(supervisor.managedPrograms()).containsOnlyKeys("slappart0_a");
    }

    @Test
    void aServiceThatCannotStartAnyMoreIsReportedWithItsSpawnError() throws Exception {
        watch();
        Path exe = script(part0, "service", "gone", "exec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        int pid = runningPid("slappart0_gone");
        Files.delete(exe);

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(WAIT).until(() -> recorder.of("slappart0_gone").stream().anyMatch(c -> c.exitStatus() == null));
        CrashReport failedStart = recorder.of("slappart0_gone").stream().filter(c -> c.exitStatus() == null)
                .findFirst().orElseThrow();
        assertThat(failedStart.reason()).contains("NO_FILE").contains("can't find command");
        assertThat(failedStart.restartIn()).isEqualTo(Duration.ofMillis(400)); // second crash in a row
        // supervisord refused before spawning (the state stays EXITED), and the node keeps trying.
        await().atMost(WAIT).until(() -> recorder.of("slappart0_gone").size() >= 3);
        assertThat(recorder.of("slappart0_gone").get(2).restartIn()).isEqualTo(Duration.ofMillis(800));
        assertThat(info("slappart0_gone").state()).isEqualTo(ProcessState.EXITED);
    }

    @Test
    void backoffStartsAgainFromTheInitialDelayAfterAServiceRanLongEnough() throws Exception {
        // resetAfter 0: every run counts as long enough, so the delay never grows.
        watch(new RestartPolicy(Duration.ofMillis(30), Duration.ofSeconds(5), Duration.ZERO),
                new CrashRateLimit(4, Duration.ofMinutes(1)));
        script(part0, "service", "flaky", "exit 3");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));

        await().atMost(WAIT).until(() -> recorder.of("slappart0_flaky").size() >= 4);
        assertThat(recorder.of("slappart0_flaky")).extracting(CrashReport::restartIn)
                .containsOnly(Duration.ofMillis(30));
    }

    @Test
    void withoutAWatcherAnApplyStartsCrashedServicesAgain() throws Exception {
        script(part0, "service", "db", "exec sleep 1000");
        PartitionPrograms p = PartitionPrograms.scan("slappart0", part0, null, STARTED);
        supervisor.apply(List.of(p));
        int pid = runningPid("slappart0_db");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(WAIT).until(() -> info("slappart0_db").state() == ProcessState.EXITED);

        ApplyResult result = supervisor.apply(List.of(p)); // a one-shot node run: nothing else restarts it

        assertThat(result.started()).as("started by the apply; state now %s", info("slappart0_db"))
                .containsExactly("slappart0_db");
        await().atMost(WAIT).until(() -> info("slappart0_db").state() == ProcessState.RUNNING
                && info("slappart0_db").pid() != pid);
    }

    @Test
    void clientSpeaksXmlRpcOnTheSocketAndTurnsFaultsIntoExceptions() throws Exception {
        script(part0, "service", "echo", "echo hello from echo\nexec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        int pid = runningPid("slappart0_echo");
        SupervisorClient client = supervisor.client();
        String spec = "slappart0_echo:slappart0_echo";

        assertThat(client.getPID()).isEqualTo(Integer.parseInt(
                Files.readString(supervisor.settings().layout().pidFile()).strip()));
        assertThat(client.getAllProcessInfo()).extracting(ProcessInfo::name).containsExactly("slappart0_echo");
        await().atMost(WAIT).until(() -> client.readProcessStdoutLog(spec, 0, 100).contains("hello from echo"));
        assertThat(client.tailProcessStdoutLog(spec, 6)).isEqualTo(" echo\n"); // the last 6 bytes

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.startProcess(spec, false))
                .isInstanceOfSatisfying(XmlRpcFault.class,
                        f -> assertThat(f.faultCode()).isEqualTo(XmlRpcFault.ALREADY_STARTED));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getProcessInfo("nope"))
                .isInstanceOfSatisfying(XmlRpcFault.class, f -> {
                    assertThat(f.faultCode()).isEqualTo(XmlRpcFault.BAD_NAME);
                    assertThat(f.faultString()).isEqualTo("BAD_NAME: nope");
                });

        assertThat(client.signalProcess(spec, "TERM")).isTrue();
        await().atMost(WAIT).until(() -> info("slappart0_echo").state() == ProcessState.EXITED);
        assertThat(ProcFs.isAlive(pid)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.stopProcess(spec, true))
                .isInstanceOfSatisfying(XmlRpcFault.class,
                        f -> assertThat(f.faultCode()).isEqualTo(XmlRpcFault.NOT_RUNNING));
    }

    @Test
    void executablesWithSpacesAndPercentSignsInTheirNamesRun() throws Exception {
        script(part0, "service", "my service", "echo spaced\nexec sleep 1000");
        script(part0, "service", "50%", "echo percent\nexec sleep 1000");
        List<ProgramSpec> programs = supervisor.generator()
                .partition(PartitionPrograms.scan("slappart0", part0, null, STARTED)).programs();
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));

        for (ProgramSpec p : programs) {
            runningPid(p.name());
            String expected = p.scriptName().equals("50%") ? "percent" : "spaced";
            await().atMost(WAIT).until(() -> supervisor.client().tailProcessStdoutLog(p.spec(), 100).contains(expected));
        }
        assertThat(programs).hasSize(2);
    }

    @Test
    void aSlowListenerDoesNotDelayTheRestart() throws Exception {
        java.util.concurrent.CountDownLatch masterDown = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        watcher = new CrashWatcher(supervisor, new CrashListener() {
            @Override
            public void crashed(CrashReport report) {
                calls.incrementAndGet();
                try {
                    masterDown.await(); // a bang to a master that does not answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void crashesSuppressed(CrashSummary summary) {
            }
        }, WatchSettings.defaults().withPollInterval(Duration.ofMillis(100))
                .withRestartPolicy(new RestartPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1))));
        watcher.start();
        script(part0, "service", "db", "exec sleep 1000");
        supervisor.apply(List.of(PartitionPrograms.scan("slappart0", part0, null, STARTED)));
        int pid = runningPid("slappart0_db");

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(WAIT).until(() -> calls.get() == 1);
        await().atMost(WAIT).until(() -> info("slappart0_db").state() == ProcessState.RUNNING
                && info("slappart0_db").pid() != pid); // restarted while the listener is still stuck
        masterDown.countDown();
    }
}
