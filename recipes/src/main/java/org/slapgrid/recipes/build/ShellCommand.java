package org.slapgrid.recipes.build;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.recipes.support.OptionValues;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.StartedProcess;
import org.zeroturnaround.exec.stream.LogOutputStream;

/**
 * Runs a shell command for a recipe through zt-exec: {@code sh -c 'set -e; <command>'} in a
 * directory, with extra environment variables, its output line by line in the buildout log, and
 * a timeout after which the command and everything it started are killed.
 */
final class ShellCommand {

    /** How a command ended: its exit status, or -1 with {@code timedOut}. */
    record Result(int exitStatus, boolean timedOut) {
        boolean ok() {
            return exitStatus == 0 && !timedOut;
        }

        String describe(int timeoutSeconds) {
            return timedOut ? "timed out after " + timeoutSeconds + " s" : "exit status " + exitStatus;
        }
    }

    private ShellCommand() {
    }

    /** The recipe's {@code timeout} option: seconds a command may run, default an hour, at most a week. */
    static int timeout(Options options) {
        return OptionValues.integer(options, "timeout", 3600, 1, 7 * 24 * 3600);
    }

    static Result run(BuildoutContext buildout, String part, String command, Path directory,
                      Map<String, String> environment, int timeoutSeconds) throws Exception {
        StartedProcess started = new ProcessExecutor()
                .command("sh", "-c", "set -e; " + command)
                .directory(directory.toFile())
                .environment(environment)
                .redirectErrorStream(true)
                .redirectOutput(new LogOutputStream() {
                    @Override
                    protected void processLine(String line) {
                        buildout.log(part, line);
                    }
                })
                .exitValueAny()
                .start();
        try {
            return new Result(started.getFuture().get(timeoutSeconds, TimeUnit.SECONDS).getExitValue(), false);
        } catch (TimeoutException e) {
            Process process = started.getProcess();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return new Result(-1, true);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
