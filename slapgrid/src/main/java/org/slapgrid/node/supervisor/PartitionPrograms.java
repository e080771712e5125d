package org.slapgrid.node.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What supervisord must run for one partition: the executables of its {@code etc/service/}
 * (watched) and {@code etc/run/} (run once), as file names, and whether the partition is wanted
 * started or stopped. {@code user} is the partition's Unix user (null: the node's own user).
 * {@code enter} is the command prefix that starts a program inside the partition's cgroup
 * (empty: none); with it, the user switch is done on the command line after it ({@code setpriv}),
 * not by supervisord, so the program joins its cgroup as root before it becomes the user.
 */
public record PartitionPrograms(String partitionId, Path directory, String user, DesiredState state,
                                List<String> services, List<String> runScripts, List<String> enter) {

    /** The state the node wants a partition's programs in. */
    public enum DesiredState { STARTED, STOPPED }

    public PartitionPrograms {
        Objects.requireNonNull(partitionId, "partitionId");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(state, "state");
        services = List.copyOf(services).stream().sorted().toList();
        runScripts = List.copyOf(runScripts).stream().sorted().toList();
        enter = enter == null ? List.of() : List.copyOf(enter);
    }

    public PartitionPrograms(String partitionId, Path directory, String user, DesiredState state,
                             List<String> services, List<String> runScripts) {
        this(partitionId, directory, user, state, services, runScripts, List.of());
    }

    /** Lists the executables now present in the partition's etc/service and etc/run. */
    public static PartitionPrograms scan(String partitionId, Path directory, String user, DesiredState state) {
        return scan(partitionId, directory, user, state, List.of());
    }

    /** The same, each program started through {@code enter} (the partition's cgroup launcher). */
    public static PartitionPrograms scan(String partitionId, Path directory, String user, DesiredState state,
                                         List<String> enter) {
        return new PartitionPrograms(partitionId, directory, user, state,
                executables(directory.resolve("etc/service")), executables(directory.resolve("etc/run")), enter);
    }

    public Path serviceDir() {
        return directory.resolve("etc/service");
    }

    public Path runDir() {
        return directory.resolve("etc/run");
    }

    /** Regular executable files, hidden ones (editor/temp files) left out, sorted by name. */
    static List<String> executables(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                    .forEach(p -> names.add(p.getFileName().toString()));
            names.sort(null);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
