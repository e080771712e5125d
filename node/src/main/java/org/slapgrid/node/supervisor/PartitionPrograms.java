package org.slapgrid.node.supervisor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slapgrid.node.io.UntrustedFile;
import org.slapgrid.recipes.slap.ServiceTags;
import java.util.stream.Stream;

/**
 * What supervisord must run for one partition: the executables of its {@code etc/service/}
 * (watched) and {@code etc/run/} (run once), as file names, and whether the partition is wanted
 * started or stopped. {@code user} is the partition's Unix user (null: the node's own user).
 * {@code enter} is the command prefix that starts a program inside the partition's cgroup
 * (empty: none); with it, the user switch is done on the command line after it ({@code setpriv}),
 * not by supervisord, so the program joins its cgroup as root before it becomes the user.
 * {@code tags} are each executable's tags (by file name, from its {@code .NAME.tags} file), and
 * {@code held} the executables stopped on purpose (a stop by tag) while the partition is started.
 */
public record PartitionPrograms(String partitionId, Path directory, String user, DesiredState state,
                                List<String> services, List<String> runScripts, List<String> enter,
                                Map<String, Set<String>> tags, Set<String> held) {

    /** The state the node wants a partition's programs in. */
    public enum DesiredState { STARTED, STOPPED }

    public PartitionPrograms {
        Objects.requireNonNull(partitionId, "partitionId");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(state, "state");
        services = List.copyOf(services).stream().sorted().toList();
        runScripts = List.copyOf(runScripts).stream().sorted().toList();
        enter = enter == null ? List.of() : List.copyOf(enter);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        held = held == null ? Set.of() : Set.copyOf(held);
    }

    public PartitionPrograms(String partitionId, Path directory, String user, DesiredState state,
                             List<String> services, List<String> runScripts) {
        this(partitionId, directory, user, state, services, runScripts, List.of());
    }

    public PartitionPrograms(String partitionId, Path directory, String user, DesiredState state,
                             List<String> services, List<String> runScripts, List<String> enter) {
        this(partitionId, directory, user, state, services, runScripts, enter, Map.of(), Set.of());
    }

    /** The tags of one executable (none: empty). */
    public Set<String> tagsOf(String script) {
        return tags.getOrDefault(script, Set.of());
    }

    /** The same programs, those {@code stoppedOnPurpose} selects (by their tags) held stopped. */
    public PartitionPrograms holding(java.util.function.Predicate<Set<String>> stoppedOnPurpose) {
        Set<String> h = new java.util.TreeSet<>();
        for (String script : services) {
            if (stoppedOnPurpose.test(tagsOf(script))) {
                h.add(script);
            }
        }
        for (String script : runScripts) {
            if (stoppedOnPurpose.test(tagsOf(script))) {
                h.add(script);
            }
        }
        return new PartitionPrograms(partitionId, directory, user, state, services, runScripts, enter, tags, h);
    }

    /** Lists the executables now present in the partition's etc/service and etc/run. */
    public static PartitionPrograms scan(String partitionId, Path directory, String user, DesiredState state) {
        return scan(partitionId, directory, user, state, List.of());
    }

    /** The same, each program started through {@code enter} (the partition's cgroup launcher). */
    public static PartitionPrograms scan(String partitionId, Path directory, String user, DesiredState state,
                                         List<String> enter) {
        List<String> services = executables(directory.resolve("etc/service"));
        List<String> runScripts = executables(directory.resolve("etc/run"));
        Map<String, Set<String>> tags = new java.util.HashMap<>();
        services.forEach(s -> putTags(tags, directory, "etc/service", s));
        runScripts.forEach(s -> putTags(tags, directory, "etc/run", s));
        return new PartitionPrograms(partitionId, directory, user, state, services, runScripts, enter, tags, Set.of());
    }

    private static void putTags(Map<String, Set<String>> tags, Path directory, String dir, String script) {
        Set<String> t = readTags(directory, directory.resolve(dir).resolve(script));
        if (!t.isEmpty()) {
            tags.put(script, t);
        }
    }

    /**
     * The tags of {@code executable} (below the partition {@code directory}) from its tags file
     * ({@link ServiceTags}), read as root reads every file of a partition: bounded, no link
     * followed. Unreadable or missing: no tags.
     */
    public static Set<String> readTags(Path directory, Path executable) {
        try {
            UntrustedFile.Read r = UntrustedFile.read(directory, directory.relativize(ServiceTags.fileOf(executable)),
                    ServiceTags.MAX_BYTES);
            return r.kind() == UntrustedFile.Kind.REGULAR
                    ? ServiceTags.decode(new String(r.content(), java.nio.charset.StandardCharsets.UTF_8)) : Set.of();
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
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
