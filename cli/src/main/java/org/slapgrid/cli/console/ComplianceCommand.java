package org.slapgrid.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.slap.ComplianceApi;
import org.slapgrid.slap.Json;
import org.slapgrid.cli.console.ClientCommand.BadInput;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Compliance;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos compliance ruleset|moduleset|attach|detach|attachments|run|run-status|results}
 * (docs/compliance.md): the master's side of compliance, with the user's token. A user sees
 * only their own rulesets and modulesets; attaching to a node, or running its compliance, needs
 * its owner or the admin. The runs are in {@link ComplianceRunCommands}.
 */
@Command(name = ComplianceCommand.NAME, mixinStandardHelpOptions = true,
        description = {ComplianceCommand.SUMMARY,
                "A node runs what is attached with `slapos node compliance check|fix|fixable|auto` (its daemon: auto, daily),",
                "or when asked here with `slapos compliance run`."},
        subcommands = {ComplianceCommand.Ruleset.class, ComplianceCommand.ModulesetCmd.class, ComplianceCommand.Attach.class,
                ComplianceCommand.Detach.class, ComplianceCommand.Attachments.class, ComplianceRunCommands.Run.class,
                ComplianceRunCommands.RunStatus.class, ComplianceCommand.Results.class})
public final class ComplianceCommand extends GroupCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "compliance";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Rulesets, modulesets and their attachment to nodes, instances and clusters; results.";

    /** KEY=VALUE: a VALUE starting with '{', '[' or '"' is JSON (seed 002's values are), anything else a string. */
    static Map<String, Object> variables(List<String> pairs) throws BadInput {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String kv : pairs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BadInput("'" + kv + "' is not KEY=VALUE");
            }
            String value = kv.substring(eq + 1);
            Object v = value;
            String t = value.strip();
            if (t.startsWith("{") || t.startsWith("[") || t.startsWith("\"")) {
                try {
                    v = Json.strict().readValue(t, Object.class);
                } catch (JsonProcessingException e) {
                    throw new BadInput(kv.substring(0, eq) + ": the value is not valid JSON: " + e.getOriginalMessage());
                }
            }
            out.put(kv.substring(0, eq), v);
        }
        return out;
    }

    /** NAME or NAME:autofix. */
    static Compliance.Module module(String spec) throws BadInput {
        if (spec.endsWith(":autofix")) {
            return new Compliance.Module(spec.substring(0, spec.length() - ":autofix".length()), true);
        }
        if (spec.contains(":")) {
            throw new BadInput("--module " + spec + ": write NAME or NAME:autofix");
        }
        return new Compliance.Module(spec, false);
    }

    static List<Compliance.Module> modules(List<String> specs) throws BadInput {
        List<Compliance.Module> out = new ArrayList<>();
        for (String m : specs) {
            out.add(module(m));
        }
        return out;
    }

    /** A verb on ruleset NAME whose one call answers the ruleset, printed whole. */
    abstract static class OnRuleset extends ClientCommand.Named<Compliance.Ruleset> {
        @Override
        void plain(Compliance.Ruleset r, PrintWriter out) throws JsonProcessingException {
            Table t = new Table("VARIABLE", "ENVIRONMENT", "VALUE");
            for (Map.Entry<String, Object> v : r.variables().entrySet()) {
                t.row(v.getKey(), "OSVC_COMP_" + Compliance.envName(v.getKey()),
                        v.getValue() instanceof String s ? s : Json.lenient().writeValueAsString(v.getValue()));
            }
            out.println("ruleset " + r.name() + " (" + r.variables().size() + " variables)");
            t.print(out);
        }
    }

    /** A verb on moduleset NAME whose one call answers the moduleset, printed whole. */
    abstract static class OnModuleset extends ClientCommand.Named<Compliance.Moduleset> {
        @Override
        void plain(Compliance.Moduleset m, PrintWriter out) {
            Table t = new Table("KIND", "NAME", "AUTOFIX");
            m.modules().forEach(x -> t.row("module", x.name(), x.autofix() ? "yes" : "no"));
            m.modulesets().forEach(x -> t.row("moduleset", x, null));
            m.rulesets().forEach(x -> t.row("ruleset", x, null));
            out.println("moduleset " + m.name());
            t.print(out);
        }
    }

    /** Deleting ruleset or moduleset NAME: the call, then one line (with or without --json). */
    abstract static class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        private final String kind;
        private final java.util.function.BiConsumer<ComplianceApi, String> delete;

        Delete(String kind, java.util.function.BiConsumer<ComplianceApi, String> delete) {
            this.kind = kind;
            this.delete = delete;
        }

        @Override
        int run(SlapClient client) {
            delete.accept(client.compliance(), name);
            return done(kind + " " + name + " deleted");
        }
    }

    // ------------------------------------------------------------------ rulesets

    @Command(name = "ruleset", mixinStandardHelpOptions = true, description = "Key/value sets given to modules as OSVC_COMP_<KEY>.",
            subcommands = {RulesetCreate.class, RulesetShow.class, RulesetList.class, RulesetSet.class, RulesetDelete.class})
    static final class Ruleset extends GroupCommand {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a ruleset.")
    static final class RulesetCreate extends OnRuleset {
        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "variables; a value starting with {, [ or \" is JSON")
        List<String> vars = new ArrayList<>();

        @Override
        Compliance.Ruleset call(SlapClient client) throws BadInput {
            return client.compliance().createRuleset(name, variables(vars));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a ruleset's variables.")
    static final class RulesetShow extends OnRuleset {
        @Override
        Compliance.Ruleset call(SlapClient client) {
            return client.compliance().ruleset(name);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your rulesets.")
    static final class RulesetList extends ClientCommand {
        @Override
        int run(SlapClient client) throws Exception {
            return listed(client.compliance().rulesets(), new Table("NAME", "VARIABLES"), r -> new Object[] {r.name(),
                    String.join(" ", r.variables().keySet())});
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set (or replace) and remove variables of a ruleset.")
    static final class RulesetSet extends OnRuleset {
        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "variables to set")
        List<String> vars = new ArrayList<>();
        @Option(names = "--unset", paramLabel = "KEY", description = "a variable to remove (repeatable)")
        List<String> unset = new ArrayList<>();

        @Override
        Compliance.Ruleset call(SlapClient client) throws BadInput {
            return client.compliance().updateRuleset(name, variables(vars), unset);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a ruleset (refused while a moduleset or a target uses it).")
    static final class RulesetDelete extends Delete {
        RulesetDelete() {
            super("ruleset", ComplianceApi::deleteRuleset);
        }
    }

    // ------------------------------------------------------------------ modulesets

    @Command(name = "moduleset", mixinStandardHelpOptions = true,
            description = "Groups of modules (with their autofix flag), of other modulesets and of rulesets.",
            subcommands = {ModulesetCreate.class, ModulesetShow.class, ModulesetList.class, ModulesetSet.class, ModulesetDelete.class})
    static final class ModulesetCmd extends GroupCommand {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a moduleset.")
    static final class ModulesetCreate extends OnModuleset {
        @Option(names = "--module", paramLabel = "NAME[:autofix]", description = "a module (repeatable); :autofix lets `auto` fix it")
        List<String> modules = new ArrayList<>();
        @Option(names = "--moduleset", paramLabel = "NAME", description = "a moduleset inside this one (repeatable; cycles refused)")
        List<String> modulesets = new ArrayList<>();
        @Option(names = "--ruleset", paramLabel = "NAME", description = "a ruleset it brings (repeatable)")
        List<String> rulesets = new ArrayList<>();

        @Override
        Compliance.Moduleset call(SlapClient client) throws BadInput {
            return client.compliance().createModuleset(new Compliance.Moduleset(name, null, modules(modules), modulesets,
                    rulesets));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a moduleset.")
    static final class ModulesetShow extends OnModuleset {
        @Override
        Compliance.Moduleset call(SlapClient client) {
            return client.compliance().moduleset(name);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your modulesets.")
    static final class ModulesetList extends ClientCommand {
        @Override
        int run(SlapClient client) throws Exception {
            return listed(client.compliance().modulesets(), new Table("NAME", "MODULES", "MODULESETS", "RULESETS"), m -> new Object[] {
                    m.name(), String.join(" ", m.modules().stream().map(x -> x.name() + (x.autofix() ? ":autofix" : "")).toList()),
                    String.join(" ", m.modulesets()), String.join(" ", m.rulesets())});
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Add or remove modules, modulesets and rulesets.")
    static final class ModulesetSet extends OnModuleset {
        @Option(names = "--add-module", paramLabel = "NAME[:autofix]") List<String> addModules = new ArrayList<>();
        @Option(names = "--remove-module", paramLabel = "NAME") List<String> removeModules = new ArrayList<>();
        @Option(names = "--add-moduleset", paramLabel = "NAME") List<String> addModulesets = new ArrayList<>();
        @Option(names = "--remove-moduleset", paramLabel = "NAME") List<String> removeModulesets = new ArrayList<>();
        @Option(names = "--add-ruleset", paramLabel = "NAME") List<String> addRulesets = new ArrayList<>();
        @Option(names = "--remove-ruleset", paramLabel = "NAME") List<String> removeRulesets = new ArrayList<>();

        @Override
        Compliance.Moduleset call(SlapClient client) throws BadInput {
            return client.compliance().updateModuleset(name, new Compliance.ModulesetUpdate(modules(addModules), removeModules,
                    addModulesets, removeModulesets, addRulesets, removeRulesets));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a moduleset (refused while inside another or attached).")
    static final class ModulesetDelete extends Delete {
        ModulesetDelete() {
            super("moduleset", ComplianceApi::deleteModuleset);
        }
    }

    // ------------------------------------------------------------------ attachments and results

    /** Exactly one of --node, --instance, --cluster. */
    static final class Target {
        @Option(names = "--node", paramLabel = "ID", required = true, description = "a node you own (or any, as the admin): its modules run as root")
        String node;
        @Option(names = "--instance", paramLabel = "NAME", required = true, description = "your instance: modules of its release, as its partition's user")
        String instance;
        @Option(names = "--cluster", paramLabel = "NAME", required = true, description = "your cluster: every member, as for --instance")
        String cluster;

        Compliance.TargetKind kind() {
            return kind(node, instance);
        }

        String name() {
            return name(node, instance, cluster);
        }

        /** The kind of the one target given: a node, else an instance, else a cluster (also `compliance run`'s). */
        static Compliance.TargetKind kind(String node, String instance) {
            return node != null ? Compliance.TargetKind.node : instance != null ? Compliance.TargetKind.instance
                    : Compliance.TargetKind.cluster;
        }

        /** The name of the one target given. */
        static String name(String node, String instance, String cluster) {
            return node != null ? node : instance != null ? instance : cluster;
        }
    }

    /** Exactly one of --moduleset, --ruleset. */
    static final class Item {
        @Option(names = "--moduleset", paramLabel = "NAME", required = true) String moduleset;
        @Option(names = "--ruleset", paramLabel = "NAME", required = true) String ruleset;
    }

    /** Attach and detach: a target, and a moduleset or a ruleset. */
    abstract static class AttachmentVerb extends ClientCommand {
        @ArgGroup(exclusive = true, multiplicity = "1") Target target;
        @ArgGroup(exclusive = true, multiplicity = "1") Item item;

        String what() {
            return item.moduleset != null ? "moduleset " + item.moduleset : "ruleset " + item.ruleset;
        }
    }

    @Command(name = "attach", mixinStandardHelpOptions = true,
            description = {"Attach a moduleset or a ruleset to a node, an instance or a cluster.",
                    "With --filter-*, it applies only where the node matches them all (OpenSVC's filtersets)."})
    static final class Attach extends AttachmentVerb {
        @Option(names = "--filter-node", paramLabel = "GLOB", description = "only on nodes whose id matches (spd0*)")
        String filterNode;
        @Option(names = "--filter-os", paramLabel = "GLOB", description = "only on nodes whose OS (ID-VERSION_ID of /etc/os-release) matches (debian-*)")
        String filterOs;
        @Option(names = "--filter-tags", paramLabel = "EXPR", description = "only on nodes whose tags ([slapos] tags) match (sm+pod01,db)")
        String filterTags;
        @Option(names = "--filter-instance-tags", paramLabel = "EXPR",
                description = "only for instances whose services' tags match (an instance's or a cluster's attachment)")
        String filterInstanceTags;

        @Override
        int run(SlapClient client) {
            Compliance.Filter f = filterNode == null && filterOs == null && filterTags == null && filterInstanceTags == null ? null
                    : new Compliance.Filter(filterNode, filterOs, filterTags, filterInstanceTags);
            client.compliance().attach(new Compliance.Attachment(target.kind(), target.name(), item.moduleset, item.ruleset, f));
            return done(what() + " attached to " + target.kind() + " " + target.name() + (f == null ? "" : " where " + f.describe()));
        }
    }

    @Command(name = "detach", mixinStandardHelpOptions = true, description = "Detach a moduleset or a ruleset.")
    static final class Detach extends AttachmentVerb {
        @Override
        int run(SlapClient client) {
            client.compliance().detach(new Compliance.Attachment(target.kind(), target.name(), item.moduleset, item.ruleset));
            return done(what() + " detached from " + target.kind() + " " + target.name());
        }
    }

    @Command(name = "attachments", mixinStandardHelpOptions = true, description = "What is attached to a node, an instance or a cluster.")
    static final class Attachments extends ClientCommand {
        @ArgGroup(exclusive = true, multiplicity = "1") Target target;

        @Override
        int run(SlapClient client) throws Exception {
            return listed(client.compliance().attachments(target.kind(), target.name()), new Table("KIND", "NAME", "WHERE"),
                    a -> new Object[] {a.moduleset() != null ? "moduleset" : "ruleset", a.moduleset() != null ? a.moduleset() : a.ruleset(),
                            a.filter() == null ? "everywhere" : a.filter().describe()});
        }
    }

    @Command(name = "results", mixinStandardHelpOptions = true,
            description = {"The newest compliance results of a node (its node-level modules) or of an instance, newest first.",
                    "TARGET is a node you manage, else one of your instances; --instance forces an instance."})
    static final class Results extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NODE|INSTANCE")
        String target;
        @Option(names = "--instance", description = "TARGET is an instance") boolean instance;
        @Option(names = "--limit", paramLabel = "N", description = "how many (default 20, at most 1000)") int limit = 20;
        @Option(names = "--output", description = "print each result's output too") boolean output;

        @Override
        int run(SlapClient client) throws Exception {
            return listed(client.compliance().results(instance ? Compliance.TargetKind.instance : null, target, limit),
                    new Table("AT", "PARTITION", "MODULE", "ACTION", "EXIT", "MS", "OUTPUT"), r -> new Object[] {
                            java.time.Instant.ofEpochMilli(r.at()).toString(), r.partition(), r.module(), r.action(), r.exitCode(),
                            r.durationMs(), output ? r.output().strip() : r.output().strip().lines().findFirst().orElse("")});
        }
    }
}
