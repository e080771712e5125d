package org.slapgrid.node.compliance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.node.software.ReleasePlace;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Compliance;
import org.slapgrid.slap.model.Compliance.Action;
import org.slapgrid.slap.model.SoftwareSupply;
import org.slapgrid.slap.model.SupplyState;

/**
 * One compliance run of the node ({@code slapos node compliance ACTION}, or the daemon's daily
 * {@code auto}): fetch the node's plan from the master, find each planned module in the
 * releases (node level: every release supplied to the node, run as root after
 * {@link TrustedPath}; an instance: its own release, as the partition's user), run it as
 * OpenSVC does, and send every result to the master.
 *
 * <p>{@code fix} runs {@code check} and stops if it passes ("check passed, skip fix"), stops if
 * {@code fixable} answers neither 0 nor 2 ("not fixable, skip fix"), else runs {@code fix} and
 * {@code check} again; {@code auto} fixes the autofix modules and checks the others.
 */
public final class ComplianceRun {
    /** The longest one action of one module may take. */
    public static final Duration MODULE_TIMEOUT = Duration.ofMinutes(10);
    /** Exit code of a module that did not run (refused, not installed, killed at its deadline). */
    public static final int NOT_RUN = -1;

    /**
     * What to run: the action, and optionally only the modules of one moduleset or one module,
     * of the targets {@code scope} names (null: every target of the plan; {@link #NODE_LEVEL}:
     * the node's own modules; else one partition's).
     */
    public record Selection(Action action, String moduleset, String module, String scope) {
        /** The scope of the node-level modules only. */
        public static final String NODE_LEVEL = "";

        public Selection(Action action, String moduleset, String module) {
            this(action, moduleset, module, null);
        }

        boolean includes(Compliance.PlannedModule m) {
            return (module == null || module.equals(m.name())) && (moduleset == null || m.modulesets().contains(moduleset));
        }

        boolean covers(Compliance.Target t) {
            return scope == null || (scope.equals(NODE_LEVEL) ? t.nodeLevel() : scope.equals(t.partition()));
        }
    }

    /**
     * A module's outcome: the status it ends in (the last check's exit code; fixable's for
     * {@code fixable}), a note such as "check passed, skip fix", and every run it took.
     */
    public record ModuleOutcome(String partition, String instance, String module, int status, String note,
                                List<Compliance.Result> runs) {
        /** 0 ok, 2 not applicable: conformant. */
        public boolean ok() {
            return status == 0 || status == 2;
        }
    }

    /** Every module's outcome, and whether the master got the results (null error: it did). */
    public record Summary(List<ModuleOutcome> modules, String reportError) {
        public boolean ok() {
            return modules.stream().allMatch(ModuleOutcome::ok);
        }

        public List<Compliance.Result> results() {
            return modules.stream().flatMap(m -> m.runs().stream()).toList();
        }
    }

    private final NodeConfig config;
    private final SlapClient master;
    private final PartitionLimiter limits;
    private final PartitionExecutor executor;
    private final Consumer<String> log;
    private final ObjectMapper json = Json.lenient();

    public ComplianceRun(NodeConfig config, SlapClient master, PartitionLimiter limits, PartitionExecutor executor,
                         Consumer<String> log) {
        this.config = config;
        this.master = master;
        this.limits = limits;
        this.executor = executor;
        this.log = log;
    }

    public static ComplianceRun of(Node node, Consumer<String> log) {
        return new ComplianceRun(node.config(), node.master(), node.limits(), new PartitionExecutor(), log);
    }

    /** Runs the selection over every target of the node's plan; the partitions are the node's formatted ones. */
    public Summary run(Selection selection, List<Partition> partitions) throws IOException {
        String nodeId = config.nodeId();
        Compliance.Plan plan = master.compliance().plan(nodeId, NodeFacts.of(config)); // the facts: for the attachments' filters
        List<ModuleOutcome> outcomes = new ArrayList<>();
        for (Compliance.Target target : plan.targets()) {
            if (!selection.covers(target)) {
                continue;
            }
            List<Compliance.PlannedModule> wanted = target.modules().stream().filter(selection::includes).toList();
            if (wanted.isEmpty()) {
                continue;
            }
            Context ctx;
            try {
                ctx = target.nodeLevel() ? nodeLevel(target) : partitionLevel(target, partitions);
            } catch (IOException | RuntimeException e) {
                // one target's trouble (an unreadable directory, a release URL it cannot place) never stops the others
                ctx = new Context(target, Map.of(), Map.of(), null, Map.of(), null, "cannot prepare the modules: " + e.getMessage());
            }
            for (Compliance.PlannedModule m : ctx.ordered(wanted)) {
                ModuleOutcome o = runModule(ctx, m, selection.action());
                log.accept("compliance " + (target.nodeLevel() ? "node" : target.partition()) + " " + m.name() + " "
                        + selection.action() + ": " + describe(o.status()) + (o.note() == null ? "" : " (" + o.note() + ")"));
                outcomes.add(o);
            }
        }
        String error = null;
        List<Compliance.Result> results = outcomes.stream().flatMap(o -> o.runs().stream()).toList();
        try {
            for (int i = 0; i < results.size(); i += 500) {
                master.compliance().report(nodeId, results.subList(i, Math.min(results.size(), i + 500)));
            }
        } catch (RuntimeException e) {
            error = e.getMessage();
            log.accept("compliance: the results could not go to the master: " + error);
        }
        return new Summary(outcomes, error);
    }

    /** 0 ok, 1 not ok, 2 n/a, anything else as the exit code it is. */
    public static String describe(int status) {
        return switch (status) {
            case 0 -> "ok";
            case 1 -> "not ok";
            case 2 -> "n/a";
            case NOT_RUN -> "not run";
            default -> "error (exit " + status + ")";
        };
    }

    /** Where a target's modules are, who runs them, with which variables; {@code refusal} set when none may run. */
    private record Context(Compliance.Target target, Map<String, ModuleFile> modules, Map<String, String> problems,
                           RunAs runAs, Map<String, String> environment, TrustedPath trust, String refusal) {
        List<Compliance.PlannedModule> ordered(List<Compliance.PlannedModule> wanted) {
            List<Compliance.PlannedModule> out = new ArrayList<>(wanted);
            out.sort((a, b) -> {
                ModuleFile fa = modules.get(a.name());
                ModuleFile fb = modules.get(b.name());
                if (fa == null || fb == null) {
                    return fa == null ? (fb == null ? a.name().compareTo(b.name()) : 1) : -1;
                }
                return ModuleFile.ORDER.compare(fa, fb);
            });
            return out;
        }
    }

    /** Node level: the modules of every built release supplied to this node; a name two releases give is refused. */
    private Context nodeLevel(Compliance.Target target) throws IOException {
        Map<String, ModuleFile> found = new HashMap<>();
        Map<String, String> problems = new HashMap<>();
        for (SoftwareSupply s : master.nodeInfo(config.nodeId()).software()) {
            ReleasePlace place = ReleasePlace.of(config, s.url());
            if (s.requestedState() != SupplyState.AVAILABLE || !place.built()) {
                continue;
            }
            for (ModuleFile f : ModuleFile.in(place.tree().resolve(ModuleFile.DIRECTORY))) {
                ModuleFile other = found.putIfAbsent(f.name(), f);
                if (other != null) {
                    problems.put(f.name(), "refused: module " + f.name() + " is provided by two releases (" + other.path()
                            + " and " + f.path() + ")");
                }
            }
        }
        return new Context(target, found, problems, null, environment(target, null), TrustedPath.forThisProcess(), null);
    }

    /** An instance: the modules of its release, as the partition's user, inside its cgroup. */
    private Context partitionLevel(Compliance.Target target, List<Partition> partitions) throws IOException {
        Partition p = partitions.stream().filter(x -> x.id().equals(target.partition())).findFirst().orElse(null);
        Map<String, ModuleFile> found = new HashMap<>();
        if (p == null) {
            return new Context(target, found, Map.of(), null, Map.of(), null, "partition " + target.partition()
                    + " is not formatted on this node");
        }
        ReleasePlace place = ReleasePlace.of(config, target.softwareUrl());
        if (place.built()) {
            for (ModuleFile f : ModuleFile.in(place.tree().resolve(ModuleFile.DIRECTORY))) {
                found.putIfAbsent(f.name(), f);
            }
        }
        RunAs runAs = limits.runAs(p, config.multiUser());
        return new Context(target, found, Map.of(), runAs, environment(target, p), null, place.built() ? null
                : "release " + target.softwareUrl() + " is not built on this node");
    }

    /**
     * The ruleset variables as OpenSVC exports them, {@code OSVC_COMP_<KEY>} and
     * {@code SLAPGRID_COMP_<KEY>} (a string as is, any other JSON value compact), and where the
     * module runs: {@code SLAPGRID_NODE}, at node level {@code SLAPGRID_NODE_CONFIG} (the node's
     * slapos.cfg, which OpenSVC's nodeconf object edits), and for an instance {@code SLAPGRID_PARTITION},
     * {@code SLAPGRID_INSTANCE} and OpenSVC's {@code OSVC_COMP_SERVICES_SVC_NAME} (unless a ruleset sets it).
     */
    private Map<String, String> environment(Compliance.Target target, Partition p) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLAPGRID_NODE", config.nodeId());
        for (Map.Entry<String, Object> v : target.variables().entrySet()) {
            String name = Compliance.envName(v.getKey());
            String value = value(v.getValue());
            env.put("OSVC_COMP_" + name, value);
            env.put("SLAPGRID_COMP_" + name, value);
        }
        if (p == null && config.file() != null) {
            env.put("SLAPGRID_NODE_CONFIG", config.file().toAbsolutePath().toString()); // nodeconf.py's file (root's modules only)
        }
        if (p != null) {
            env.put("SLAPGRID_PARTITION", p.id());
            env.put("SLAPGRID_INSTANCE", target.instance());
            env.putIfAbsent("OSVC_COMP_SERVICES_SVC_NAME", target.instance());
        }
        return env;
    }

    private String value(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        try {
            return json.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            return String.valueOf(v);
        }
    }

    private ModuleOutcome runModule(Context ctx, Compliance.PlannedModule m, Action action) {
        List<Compliance.Result> runs = new ArrayList<>();
        ModuleFile file = ctx.modules().get(m.name());
        String problem = ctx.refusal() != null ? ctx.refusal() : ctx.problems().get(m.name());
        if (problem == null && file == null) {
            problem = "module " + m.name() + " is not installed here: no S<NN>-" + m.name() + " in the "
                    + ModuleFile.DIRECTORY + "/ directory of " + (ctx.target().nodeLevel() ? "the releases supplied to this node"
                    : "release " + ctx.target().softwareUrl());
        }
        if (problem != null) {
            Action shown = action == Action.auto ? (m.autofix() ? Action.fix : Action.check) : action;
            runs.add(result(ctx, m.name(), shown, NOT_RUN, problem, Duration.ZERO));
            return new ModuleOutcome(ctx.target().partition(), ctx.target().instance(), m.name(), NOT_RUN, problem, runs);
        }
        boolean fix = action == Action.fix || (action == Action.auto && m.autofix());
        if (action == Action.fixable) {
            return outcome(ctx, m, exec(ctx, file, Action.fixable, runs), null, runs);
        }
        int checked = exec(ctx, file, Action.check, runs);
        if (!fix) {
            // OpenSVC's check: a module that answers "not ok" is also asked whether it is fixable (logged; the status stays the check's)
            if (checked == 1) {
                exec(ctx, file, Action.fixable, runs);
            }
            return outcome(ctx, m, checked, null, runs);
        }
        Ending e = fixSequence(checked, a -> exec(ctx, file, a, runs));
        return outcome(ctx, m, e.status(), e.note(), runs);
    }

    /** A status and its note. */
    record Ending(int status, String note) {
    }

    /**
     * OpenSVC's {@code fix} ({@code core/compliance.py}, {@code Module.action}) once {@code check}
     * answered {@code checked}: 0 stops ("check passed, skip fix", 0); a module that could not
     * run stops (nothing else would run either); {@code fixable} answering neither 0 nor 2 stops
     * ("not fixable, skip fix", 1, whatever the check said); else {@code fix}, then {@code check}
     * again, whose answer is the status (the fix's own exit code is only noted).
     */
    static Ending fixSequence(int checked, java.util.function.ToIntFunction<Action> run) {
        if (checked == 0) {
            return new Ending(0, "check passed, skip fix");
        }
        if (checked == NOT_RUN) {
            return new Ending(NOT_RUN, "check did not run, skip fix");
        }
        int fixable = run.applyAsInt(Action.fixable);
        if (fixable != 0 && fixable != 2) {
            return new Ending(1, "not fixable, skip fix");
        }
        int fixed = run.applyAsInt(Action.fix);
        int again = run.applyAsInt(Action.check);
        return new Ending(again, fixed == 0 ? "fixed" : "fix exited " + fixed);
    }

    private static ModuleOutcome outcome(Context ctx, Compliance.PlannedModule m, int status, String note,
                                         List<Compliance.Result> runs) {
        return new ModuleOutcome(ctx.target().partition(), ctx.target().instance(), m.name(), status, note, runs);
    }

    /** Runs one action of a module (node level: after the trust check, its real path); adds its result and returns its exit code. */
    private int exec(Context ctx, ModuleFile file, Action action, List<Compliance.Result> runs) {
        Path run = file.path();
        RunAs runAs = ctx.runAs();
        try {
            if (ctx.target().nodeLevel()) {
                Path[] real = new Path[1];
                String refusal = ctx.trust().refusal(file.path(), real);
                if (refusal != null) {
                    runs.add(result(ctx, file.name(), action, NOT_RUN, "refused: root runs no module a non-root user could change: "
                            + refusal, Duration.ZERO));
                    return NOT_RUN;
                }
                run = real[0];
                runAs = RunAs.currentUser(run.getParent());
            }
            ExecResult r = executor.run(List.of(run.toString(), action.name()), runAs, ctx.environment(), MODULE_TIMEOUT);
            int code = r.timedOut() ? NOT_RUN : r.exitCode();
            runs.add(result(ctx, file.name(), action, code, r.timedOut() ? r.output() + "\n[" + r.summary() + "]" : r.output(),
                    r.took()));
            return code;
        } catch (IOException | RuntimeException e) {
            runs.add(result(ctx, file.name(), action, NOT_RUN, "cannot run " + run + ": " + e.getMessage(), Duration.ZERO));
            return NOT_RUN;
        }
    }

    private Compliance.Result result(Context ctx, String module, Action action, int code, String output, Duration took) {
        return new Compliance.Result(config.nodeId(), ctx.target().partition(), ctx.target().instance(), module, action, code,
                output, took.toMillis(), System.currentTimeMillis());
    }
}
