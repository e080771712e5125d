package org.slapgrid.node.supervisor.config;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slapgrid.node.supervisor.PartitionPrograms;
import org.slapgrid.node.supervisor.ProgramSpec;
import org.slapgrid.node.supervisor.SupervisorException;
import org.slapgrid.node.supervisor.SupervisorLayout;
import org.slapgrid.node.supervisor.SupervisorSettings;

/**
 * Renders the node's {@code supervisord.conf} and one file per partition from the templates in
 * {@code supervisor-templates/}. Output is deterministic (programs sorted by name), every value
 * is validated and escaped for supervisord's INI dialect, and the result is checked to contain
 * only keys supervisord knows ({@link SupervisordKeys}).
 */
public final class ConfigGenerator {
    static final String MAIN_TEMPLATE = "supervisor-templates/supervisord.conf.j2";
    static final String PARTITION_TEMPLATE = "supervisor-templates/partition.conf.j2";
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    private final SupervisorSettings settings;
    private final Jinjava jinjava;
    private final String mainTemplate;
    private final String partitionTemplate;
    private final Map<String, Rendered> lastRendered = new java.util.concurrent.ConcurrentHashMap<>();

    public ConfigGenerator(SupervisorSettings settings) {
        this.settings = settings;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withFailOnUnknownTokens(true).build());
        this.mainTemplate = resource(MAIN_TEMPLATE);
        this.partitionTemplate = resource(PARTITION_TEMPLATE);
    }

    /** One partition's generated file and the programs it defines. */
    public record GeneratedPartition(String partitionId, String text, List<ProgramSpec> programs) {
    }

    public String mainConfig() {
        SupervisorLayout l = settings.layout();
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("socket", pathValue("socket", l.socket()));
        ctx.put("logfile", pathValue("log file", l.logFile()));
        ctx.put("pidfile", pathValue("pid file", l.pidFile()));
        ctx.put("childlogdir", pathValue("child log directory", l.childLogDir()));
        ctx.put("include_dir", pathValue("include directory", l.includeDir()));
        ctx.put("identifier", plainValue("identifier", settings.identifier()));
        return render(MAIN_TEMPLATE, mainTemplate, ctx);
    }

    public GeneratedPartition partition(PartitionPrograms partition) {
        ProgramNames.checkPartitionId(partition.partitionId());
        String where = "partition " + partition.partitionId();
        String user = partitionUser(partition);
        boolean autostart = partition.state() == PartitionPrograms.DesiredState.STARTED;

        // Services claim their plain names first: adding a run script of the same name must not
        // rename (and so restart) a running service. A run script then takes _run, or a hash.
        Map<String, ProgramSpec> specs = new TreeMap<>();
        for (String script : partition.services()) {
            String name = ProgramNames.baseName(partition.partitionId(), script);
            if (specs.containsKey(name)) {
                name = ProgramNames.disambiguated(name, "service/" + script);
            }
            boolean held = autostart && partition.held().contains(script);
            specs.put(name, new ProgramSpec(name, partition.partitionId(), script, ProgramSpec.Kind.WATCHED,
                    partition.serviceDir().resolve(script), settings.layout().partitionLogDir(partition.partitionId()).resolve(name + ".log"),
                    autostart && !held, partition.tagsOf(script), held));
        }
        for (String script : partition.runScripts()) {
            String base = ProgramNames.baseName(partition.partitionId(), script);
            String name = !specs.containsKey(base) ? base
                    : !specs.containsKey(base + "_run") ? base + "_run"
                    : ProgramNames.disambiguated(base, "run/" + script);
            boolean held = autostart && partition.held().contains(script);
            specs.put(name, new ProgramSpec(name, partition.partitionId(), script, ProgramSpec.Kind.RUN_ONCE,
                    partition.runDir().resolve(script), settings.layout().partitionLogDir(partition.partitionId()).resolve(name + ".log"),
                    autostart && !held, partition.tagsOf(script), held));
        }

        List<Map<String, Object>> programs = new ArrayList<>();
        for (ProgramSpec spec : specs.values()) {
            Map<String, Object> p = new LinkedHashMap<>();
            String origin = (spec.kind() == ProgramSpec.Kind.WATCHED ? "watched service etc/service/"
                    : "run once etc/run/") + spec.scriptName();
            p.put("name", spec.name());
            p.put("origin", origin.replaceAll("[\\p{Cntrl}]", "?"));
            // tags are checked words (ServiceTags): nothing in them can break the INI line
            p.put("tags", String.join(" ", spec.tags()));
            p.put("held", spec.held());
            p.put("command", commandLine(where + ", " + origin, partition, user, spec.command()));
            p.put("directory", pathValue(where + " directory", partition.directory()));
            // with a cgroup launcher, the user switch is on the command line (after joining, as root)
            p.put("user", user == null || !partition.enter().isEmpty() ? "" : user); // Jinjava fails on null
            p.put("environment", environment(partition, user, spec));
            p.put("autostart", spec.autostart());
            p.put("stopwaitsecs", settings.stopTimeout().toSeconds());
            p.put("logfile", pathValue(where + " log", spec.logFile()));
            p.put("log_maxbytes", plainValue("log size", settings.logMaxBytes()));
            p.put("log_backups", settings.logBackups());
            programs.add(p);
        }
        Map<String, Object> ctx = new HashMap<>();
        ctx.put("partition", partition.partitionId());
        ctx.put("programs", programs);
        String text = renderCached(partition.partitionId(), ctx);
        return new GeneratedPartition(partition.partitionId(), text, List.copyOf(specs.values()));
    }

    /** {@code user=} only matters (and only works) when supervisord runs as root. */
    private String partitionUser(PartitionPrograms partition) {
        String user = partition.user();
        if (user == null || user.isEmpty()) {
            return null;
        }
        if (!USER_NAME.matcher(user).matches()) {
            throw new SupervisorException("partition " + partition.partitionId() + ": user name '" + user
                    + "' is not a valid Unix user name");
        }
        return settings.nodeIsRoot() && !user.equals(settings.nodeUser()) ? user : null;
    }

    /**
     * supervisord's setuid does not set HOME/USER/LOGNAME: give the partition's own. The digest
     * of the executable is there too, because supervisord only compares configurations: without
     * it, a rewritten wrapper would never be restarted; with it, only that program is.
     */
    private String environment(PartitionPrograms partition, String user, ProgramSpec spec) {
        Map<String, String> env = new TreeMap<>();
        env.put("HOME", partition.directory().toString());
        env.put("SLAPGRID_PROGRAM_DIGEST", ProgramDigest.of(partition.directory(), spec.command()));
        if (user != null) {
            env.put("LOGNAME", user);
            env.put("USER", user);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(e.getKey()).append("=\"")
                    .append(quotedSafe("partition " + partition.partitionId() + " " + e.getKey(), e.getValue()))
                    .append('"');
        }
        return out.toString();
    }

    /**
     * Jinjava parses the template on every render (milliseconds); an unchanged partition, the
     * common case of every convergence, has the same context as last time: reuse that text.
     */
    private String renderCached(String partitionId, Map<String, Object> ctx) {
        Rendered last = lastRendered.get(partitionId);
        if (last != null && last.context().equals(ctx)) {
            return last.text();
        }
        String text = render(PARTITION_TEMPLATE, partitionTemplate, ctx);
        lastRendered.put(partitionId, new Rendered(ctx, text));
        return text;
    }

    private record Rendered(Map<String, Object> context, String text) {
    }

    private String render(String name, String template, Map<String, Object> ctx) {
        String text = jinjava.render(template, ctx);
        SupervisordKeys.check(name, text);
        return text;
    }

    // --- values: supervisord's INI dialect ------------------------------------------------------

    /** Rejects what would break the INI line; doubles '%' (ConfigParser interpolation). */
    static String plainValue(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new SupervisorException(what + ": control character in '" + printable(value) + "'");
            }
            if (c == ';' || c == '#') {
                // supervisord treats " ;" and " #" as the start of a comment, even inside quotes
                throw new SupervisorException(what + ": '" + c + "' is not allowed in '" + value + "'");
            }
        }
        return value.replace("%", "%%");
    }

    private static String pathValue(String what, Path path) {
        String s = path.toString();
        if (s.chars().anyMatch(Character::isWhitespace)) {
            throw new SupervisorException(what + ": whitespace is not allowed in path '" + printable(s) + "'");
        }
        return plainValue(what, s);
    }

    /**
     * The program's command line: the executable alone, or, when the partition has a cgroup
     * launcher, {@code launcher CGROUP... -- [setpriv --reuid=U --regid=U --init-groups --] executable}
     * (setpriv of Debian's util-linux, always installed).
     * Every step execs the next, so supervisord's pid is the program's, and signals reach it.
     * The partition's group has its user's name ({@code useradd --user-group} at format).
     */
    private static String commandLine(String what, PartitionPrograms partition, String user, Path executable) {
        if (partition.enter().isEmpty()) {
            return commandValue(what, executable);
        }
        List<String> argv = new ArrayList<>();
        for (String a : partition.enter()) {
            argv.add(commandValue(what + " (cgroup launcher)", Path.of(a)));
        }
        if (user != null) {
            argv.addAll(List.of("/usr/bin/setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        }
        argv.add(commandValue(what, executable));
        return String.join(" ", argv);
    }

    /** A command is shlex-split by supervisord: single-quote it when it has spaces. */
    private static String commandValue(String what, Path path) {
        String s = path.toString();
        for (char bad : new char[] {'\'', '"', '\\'}) {
            if (s.indexOf(bad) >= 0) {
                throw new SupervisorException(what + ": the character " + bad + " is not allowed in '"
                        + printable(s) + "'");
            }
        }
        String v = plainValue(what, s);
        return s.chars().anyMatch(Character::isWhitespace) ? "'" + v + "'" : v;
    }

    private static String quotedSafe(String what, String value) {
        if (value.indexOf('"') >= 0 || value.indexOf('\\') >= 0) {
            throw new SupervisorException(what + ": quotes and backslashes are not allowed in '" + value + "'");
        }
        return plainValue(what, value);
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private static String resource(String name) {
        try (InputStream in = ConfigGenerator.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("template " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
