package org.slapgrid.node.supervisor.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.node.supervisor.PartitionPrograms;
import org.slapgrid.node.supervisor.ProgramSpec;
import org.slapgrid.node.supervisor.Supervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads back the partition files the generator wrote, so that a restarted node knows (and
 * watches) the programs supervisord runs before it converges each partition again: an
 * unchanged partition may not be converged for a whole periodicity. Only the node's own output
 * is parsed: {@code [program:x]}, the origin, tags and held comments, {@code command},
 * {@code stdout_logfile} and {@code autostart}.
 */
public final class GeneratedFiles {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratedFiles.class);
    private static final String WATCHED = "; watched service etc/service/";
    private static final String RUN_ONCE = "; run once etc/run/";
    private static final String TAGS = "; tags ";
    private static final String HELD = "; stopped on purpose";

    private GeneratedFiles() {
    }

    /** The programs defined by {@code <includeDir>/*.conf}, by name. Unreadable files are skipped. */
    public static Map<String, Supervisor.Managed> read(Path includeDir) {
        Map<String, Supervisor.Managed> programs = new LinkedHashMap<>();
        List<Path> files;
        try {
            files = ConfigFiles.partitionFiles(includeDir);
        } catch (UncheckedIOException e) {
            LOG.warn("cannot list {}: {}", includeDir, e.getCause().getMessage());
            return programs;
        }
        for (Path file : files) {
            try {
                for (Supervisor.Managed m : parse(ConfigFiles.partitionId(file),
                        Files.readAllLines(file, StandardCharsets.UTF_8))) {
                    programs.put(m.spec().name(), m);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot read back {}: {}", file, e.getMessage());
            }
        }
        return programs;
    }

    static List<Supervisor.Managed> parse(String partitionId, List<String> lines) {
        List<Supervisor.Managed> out = new ArrayList<>();
        Map<String, String> section = null;
        String program = null;
        for (String line : lines) {
            if (line.startsWith("[program:") && line.endsWith("]")) {
                addIfComplete(out, partitionId, program, section);
                program = line.substring("[program:".length(), line.length() - 1);
                section = new LinkedHashMap<>();
            } else if (section != null && line.startsWith(TAGS)) {
                section.put("tags", line.substring(TAGS.length()));
            } else if (section != null && line.startsWith(HELD)) {
                section.put("held", "true");
            } else if (section != null && line.startsWith(";")) {
                section.putIfAbsent("origin", line);
            } else if (section != null && line.indexOf('=') > 0) {
                section.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        addIfComplete(out, partitionId, program, section);
        return out;
    }

    private static void addIfComplete(List<Supervisor.Managed> out, String partitionId, String program,
                                      Map<String, String> s) {
        if (program == null || s == null || !s.containsKey("command") || !s.containsKey("origin")) {
            return;
        }
        String origin = s.get("origin");
        ProgramSpec.Kind kind;
        String script;
        if (origin.startsWith(WATCHED)) {
            kind = ProgramSpec.Kind.WATCHED;
            script = origin.substring(WATCHED.length());
        } else if (origin.startsWith(RUN_ONCE)) {
            kind = ProgramSpec.Kind.RUN_ONCE;
            script = origin.substring(RUN_ONCE.length());
        } else {
            return;
        }
        boolean autostart = "true".equals(s.get("autostart"));
        boolean held = s.containsKey("held");
        java.util.Set<String> tags = s.containsKey("tags")
                ? org.slapgrid.recipes.slap.ServiceTags.decode(s.get("tags")) : java.util.Set.of();
        ProgramSpec spec = new ProgramSpec(program, partitionId, script, kind, Path.of(unquote(lastArgument(s.get("command")))),
                Path.of(unquote(s.getOrDefault("stdout_logfile", ""))), autostart, tags, held);
        // a held program is not autostarted, but its partition is started
        out.add(new Supervisor.Managed(spec, autostart || held ? PartitionPrograms.DesiredState.STARTED
                : PartitionPrograms.DesiredState.STOPPED));
    }

    /** The executable: the last argument of the command (a cgroup launcher and setpriv may precede it). */
    private static String lastArgument(String command) {
        String c = command.strip();
        if (c.endsWith("'")) {
            int open = c.lastIndexOf('\'', c.length() - 2);
            return open < 0 ? c : c.substring(open);
        }
        int space = c.lastIndexOf(' ');
        return space < 0 ? c : c.substring(space + 1);
    }

    /** Undoes the generator's escaping: single quotes around a command, doubled '%'. */
    private static String unquote(String value) {
        String v = value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
                ? value.substring(1, value.length() - 1) : value;
        return v.replace("%%", "%");
    }
}
