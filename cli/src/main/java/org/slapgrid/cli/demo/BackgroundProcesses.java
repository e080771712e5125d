package org.slapgrid.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slapgrid.cli.Main;
import org.slapgrid.node.buildout.NodeRuntime;

/**
 * The demo's long-running processes (master, node daemon): started detached with
 * {@code setsid} (closing the terminal does not stop them), logged to {@code DIR/NAME.log},
 * remembered in {@code DIR/NAME.pid}, and recognised on the next run so they are reused.
 */
record BackgroundProcesses(Path dir, NodeRuntime runtime) {

    Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /** Starts {@code slapos ARGS} as NAME unless it is running already. */
    void ensure(String name, List<String> args) throws IOException {
        if (alive(name)) {
            return;
        }
        Files.createDirectories(dir);
        privateLog(log(name));
        List<String> cmd = new ArrayList<>(List.of("setsid", runtime.java().toString(), "-cp", runtime.classpathString(),
                Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Files.writeString(dir.resolve(name + ".pid"), Long.toString(p.pid()));
    }

    /**
     * The log file, created (or reset to) 0600: a node's and a master's logs name every tenant's
     * instances, URLs and errors, and partition users must not read them.
     */
    static void privateLog(Path log) throws IOException {
        var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        if (!Files.exists(log, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(log, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(mode));
        }
        Files.setPosixFilePermissions(log, mode);
    }

    boolean alive(String name) {
        return process(name).isPresent();
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    void stop(String name) {
        process(name).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(log(name));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** The live process of that name, checked to be ours (a pid may have been reused). */
    private Optional<ProcessHandle> process(String name) {
        try {
            Path pidFile = dir.resolve(name + ".pid");
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().orElse("").contains(Main.class.getName()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
