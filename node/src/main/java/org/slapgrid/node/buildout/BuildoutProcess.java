package org.slapgrid.node.buildout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;

/**
 * Runs a buildout in a child JVM with the privileges of the partition (or of the software
 * build user), so that nothing a profile or its recipes do ever runs as root, and so that a
 * timeout can kill the whole of it. The child is {@code BuildoutMain}.
 */
public final class BuildoutProcess {

    /** The child's entry point ({@code BuildoutMain}), by name: it runs in another JVM. */
    static final String MAIN_CLASS = "org.slapgrid.node.buildout.BuildoutMain";

    /**
     * Child JVM flags chosen for short runs, as {@code bin/slapos} starts its short commands: fast
     * start, small heap, no perf-data file (it would be written in /tmp as the partition user),
     * a fixed set of compiler threads (no sysinfo(2) call per method queued for compiling).
     */
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto", "-Xmx256m", "-XX:-UsePerfData", "-XX:-UseDynamicNumberOfCompilerThreads");

    private final NodeRuntime runtime;
    private final PartitionExecutor executor;
    private final ClassDataArchive archive;

    public BuildoutProcess(NodeRuntime runtime, PartitionExecutor executor) {
        this(runtime, executor, null);
    }

    /** With a class-data-sharing archive (made on first use) for faster child starts. */
    public BuildoutProcess(NodeRuntime runtime, PartitionExecutor executor, ClassDataArchive archive) {
        this.runtime = runtime;
        this.executor = executor;
        this.archive = archive;
    }

    /**
     * Runs {@code slapos buildout -c profile directory=...} as {@code who}.
     *
     * @param profile     the buildout file (in the node's state directory)
     * @param directory   {@code buildout:directory}: the partition or the release directory
     * @param arguments   further arguments of {@code BuildoutMain}: options such as
     *                    {@code --master URL}, and {@code section:option=value} assignments
     */
    public ExecResult run(Path profile, Path directory, List<String> arguments, RunAs who, Duration timeout)
            throws IOException {
        return executor.run(command(profile, directory, arguments), who, Map.of(), timeout);
    }

    /** Runs another of the node's entry points ({@code mainClass}) in a child JVM the same way, as {@code who}. */
    public ExecResult runMain(String mainClass, List<String> arguments, RunAs who, Duration timeout) throws IOException {
        return executor.run(command(mainClass, arguments), who, Map.of(), timeout);
    }

    /** The child's command line (a test runs it with its class loading logged, to see the archive used). */
    List<String> command(Path profile, Path directory, List<String> arguments) {
        List<String> args = new ArrayList<>(List.of("-c", profile.toString(), "buildout:directory=" + directory));
        args.addAll(arguments);
        return command(MAIN_CLASS, args);
    }

    private List<String> command(String mainClass, List<String> arguments) {
        List<String> cmd = new ArrayList<>();
        cmd.add(runtime.java().toString());
        cmd.addAll(JVM_FLAGS);
        Path shared = archive == null ? null : archive.ensure();
        if (shared != null) {
            cmd.add("-XX:SharedArchiveFile=" + shared);
            cmd.addAll(ClassDataArchive.QUIET);
        }
        cmd.add("-cp");
        cmd.add(runtime.classpathString());
        cmd.add(mainClass);
        cmd.addAll(arguments);
        return cmd;
    }
}
