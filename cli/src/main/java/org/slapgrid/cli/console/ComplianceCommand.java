package org.slapgrid.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.Json;
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
public final class ComplianceCommand implements Runnable {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "compliance";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Rulesets, modulesets and their attachment to nodes, instances and clusters; results.";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command that only groups verbs (ruleset, moduleset): it prints its usage. */
    abstract static class Group implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** KEY=VALUE: a VALUE starting with '{', '[' or '"' is JSON (seed 002's values are), anything else a string. */
    static Map<String, Object> variables(List<String> pairs) throws BadValue {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String kv : pairs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new BadValue("'" + kv + "' is not KEY=VALUE");
            }
            String value = kv.substring(eq + 1);
            Object v = value;
            String t = value.strip();
            if (t.startsWith("{") || t.startsWith("[") || t.startsWith("\"")) {
                try {
                    v = Json.strict().readValue(t, Object.class);
                } catch (JsonProcessingException e) {
                    throw new BadValue(kv.substring(0, eq) + ": the value is not valid JSON: " + e.getOriginalMessage());
                }
            }
            out.put(kv.substring(0, eq), v);
        }
        return out;
    }

    /** NAME or NAME:autofix. */
    static Compliance.Module module(String spec) throws BadValue {
        if (spec.endsWith(":autofix")) {
            return new Compliance.Module(spec.substring(0, spec.length() - ":autofix".length()), true);
        }
        if (spec.contains(":")) {
            throw new BadValue("--module " + spec + ": write NAME or NAME:autofix");
        }
        return new Compliance.Module(spec, false);
    }

    static List<Compliance.Module> modules(List<String> specs) throws BadValue {
        List<Compliance.Module> out = new ArrayList<>();
        for (String m : specs) {
            out.add(module(m));
        }
        return out;
    }

    static final class BadValue extends Exception {
        BadValue(String message) {
            super(message);
        }
    }

    /** A verb on one named ruleset or moduleset. */
    abstract static class Named extends Verb {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
    }

    /** A verb whose bad input is reported with exit status 2. */
    abstract static class Verb extends ClientCommand {
        abstract int act(SlapClient client) throws Exception;

        @Override
        final int run(SlapClient client) throws Exception {
            try {
                return act(client);
            } catch (BadValue e) {
                return usage(e.getMessage());
            }
        }

        /** A listing: {@code value} as JSON with --json, else the table {@code rows} fills. */
        int listed(Object value, Table table, java.util.function.Consumer<Table> rows) throws JsonProcessingException {
            if (json()) {
                printJson(value);
                return ExitCode.OK;
            }
            rows.accept(table);
            table.print(out());
            out().flush();
            return ExitCode.OK;
        }

        /** One line on stdout, flushed: what the verb did. */
        int done(String message) {
            out().println(message);
            out().flush();
            return ExitCode.OK;
        }

        void printRuleset(Compliance.Ruleset r) throws JsonProcessingException {
            if (json()) {
                printJson(r);
                return;
            }
            Table t = new Table("VARIABLE", "ENVIRONMENT", "VALUE");
            for (Map.Entry<String, Object> v : r.variables().entrySet()) {
                t.row(v.getKey(), "OSVC_COMP_" + Compliance.envName(v.getKey()),
                        v.getValue() instanceof String s ? s : Json.lenient().writeValueAsString(v.getValue()));
            }
            out().println("ruleset " + r.name() + " (" + r.variables().size() + " variables)");
            t.print(out());
        }

        void printModuleset(Compliance.Moduleset m) throws JsonProcessingException {
            if (json()) {
                printJson(m);
                return;
            }
            Table t = new Table("KIND", "NAME", "AUTOFIX");
            m.modules().forEach(x -> t.row("module", x.name(), x.autofix() ? "yes" : "no"));
            m.modulesets().forEach(x -> t.row("moduleset", x, null));
            m.rulesets().forEach(x -> t.row("ruleset", x, null));
            out().println("moduleset " + m.name());
            t.print(out());
        }
    }

    // ------------------------------------------------------------------ rulesets

    @Command(name = "ruleset", mixinStandardHelpOptions = true, description = "Key/value sets given to modules as OSVC_COMP_<KEY>.",
            subcommands = {RulesetCreate.class, RulesetShow.class, RulesetList.class, RulesetSet.class, RulesetDelete.class})
    static final class Ruleset extends Group {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a ruleset.")
    static final class RulesetCreate extends Named {
        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "variables; a value starting with {, [ or \" is JSON")
        List<String> vars = new ArrayList<>();

        @Override
        int act(SlapClient client) throws Exception {
            printRuleset(client.compliance().createRuleset(name, variables(vars)));
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a ruleset's variables.")
    static final class RulesetShow extends Named {

        @Override
        int act(SlapClient client) throws Exception {
            printRuleset(client.compliance().ruleset(name));
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your rulesets.")
    static final class RulesetList extends Verb {
        @Override
        int act(SlapClient client) throws Exception {
            List<Compliance.Ruleset> all = client.compliance().rulesets();
            return listed(all, new Table("NAME", "VARIABLES"), t -> all.forEach(r -> t.row(r.name(),
                    String.join(" ", r.variables().keySet()))));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set (or replace) and remove variables of a ruleset.")
    static final class RulesetSet extends Named {
        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "variables to set")
        List<String> vars = new ArrayList<>();
        @Option(names = "--unset", paramLabel = "KEY", description = "a variable to remove (repeatable)")
        List<String> unset = new ArrayList<>();

        @Override
        int act(SlapClient client) throws Exception {
            printRuleset(client.compliance().updateRuleset(name, variables(vars), unset));
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a ruleset (refused while a moduleset or a target uses it).")
    static final class RulesetDelete extends Named {
        @Override
        int act(SlapClient client) {
            client.compliance().deleteRuleset(name);
            return done("ruleset " + name + " deleted");
        }
    }

    // ------------------------------------------------------------------ modulesets

    @Command(name = "moduleset", mixinStandardHelpOptions = true,
            description = "Groups of modules (with their autofix flag), of other modulesets and of rulesets.",
            subcommands = {ModulesetCreate.class, ModulesetShow.class, ModulesetList.class, ModulesetSet.class, ModulesetDelete.class})
    static final class ModulesetCmd extends Group {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a moduleset.")
    static final class ModulesetCreate extends Named {
        @Option(names = "--module", paramLabel = "NAME[:autofix]", description = "a module (repeatable); :autofix lets `auto` fix it")
        List<String> modules = new ArrayList<>();
        @Option(names = "--moduleset", paramLabel = "NAME", description = "a moduleset inside this one (repeatable; cycles refused)")
        List<String> modulesets = new ArrayList<>();
        @Option(names = "--ruleset", paramLabel = "NAME", description = "a ruleset it brings (repeatable)")
        List<String> rulesets = new ArrayList<>();

        @Override
        int act(SlapClient client) throws Exception {
            printModuleset(client.compliance().createModuleset(new Compliance.Moduleset(name, null, modules(modules), modulesets,
                    rulesets)));
            return ExitCode.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a moduleset.")
    static final class ModulesetShow extends Named {

        @Override
        int act(SlapClient client) throws Exception {
            printModuleset(client.compliance().moduleset(name));
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your modulesets.")
    static final class ModulesetList extends Verb {
        @Override
        int act(SlapClient client) throws Exception {
            List<Compliance.Moduleset> all = client.compliance().modulesets();
            return listed(all, new Table("NAME", "MODULES", "MODULESETS", "RULESETS"), t -> all.forEach(m -> t.row(m.name(),
                    String.join(" ", m.modules().stream().map(x -> x.name() + (x.autofix() ? ":autofix" : "")).toList()),
                    String.join(" ", m.modulesets()), String.join(" ", m.rulesets()))));
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Add or remove modules, modulesets and rulesets.")
    static final class ModulesetSet extends Named {
        @Option(names = "--add-module", paramLabel = "NAME[:autofix]") List<String> addModules = new ArrayList<>();
        @Option(names = "--remove-module", paramLabel = "NAME") List<String> removeModules = new ArrayList<>();
        @Option(names = "--add-moduleset", paramLabel = "NAME") List<String> addModulesets = new ArrayList<>();
        @Option(names = "--remove-moduleset", paramLabel = "NAME") List<String> removeModulesets = new ArrayList<>();
        @Option(names = "--add-ruleset", paramLabel = "NAME") List<String> addRulesets = new ArrayList<>();
        @Option(names = "--remove-ruleset", paramLabel = "NAME") List<String> removeRulesets = new ArrayList<>();

        @Override
        int act(SlapClient client) throws Exception {
            printModuleset(client.compliance().updateModuleset(name, new Compliance.ModulesetUpdate(modules(addModules), removeModules,
                    addModulesets, removeModulesets, addRulesets, removeRulesets)));
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a moduleset (refused while inside another or attached).")
    static final class ModulesetDelete extends Named {
        @Override
        int act(SlapClient client) {
            client.compliance().deleteModuleset(name);
            return done("moduleset " + name + " deleted");
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
            return node != null ? Compliance.TargetKind.node : instance != null ? Compliance.TargetKind.instance
                    : Compliance.TargetKind.cluster;
        }

        String name() {
            return node != null ? node : instance != null ? instance : cluster;
        }
    }

    /** Exactly one of --moduleset, --ruleset. */
    static final class Item {
        @Option(names = "--moduleset", paramLabel = "NAME", required = true) String moduleset;
        @Option(names = "--ruleset", paramLabel = "NAME", required = true) String ruleset;
    }

    /** Attach and detach: a target, and a moduleset or a ruleset. */
    abstract static class AttachmentVerb extends Verb {
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
        int act(SlapClient client) {
            Compliance.Filter f = filterNode == null && filterOs == null && filterTags == null && filterInstanceTags == null ? null
                    : new Compliance.Filter(filterNode, filterOs, filterTags, filterInstanceTags);
            client.compliance().attach(new Compliance.Attachment(target.kind(), target.name(), item.moduleset, item.ruleset, f));
            return done(what() + " attached to " + target.kind() + " " + target.name() + (f == null ? "" : " where " + f.describe()));
        }
    }

    @Command(name = "detach", mixinStandardHelpOptions = true, description = "Detach a moduleset or a ruleset.")
    static final class Detach extends AttachmentVerb {
        @Override
        int act(SlapClient client) {
            client.compliance().detach(new Compliance.Attachment(target.kind(), target.name(), item.moduleset, item.ruleset));
            return done(what() + " detached from " + target.kind() + " " + target.name());
        }
    }

    @Command(name = "attachments", mixinStandardHelpOptions = true, description = "What is attached to a node, an instance or a cluster.")
    static final class Attachments extends Verb {
        @ArgGroup(exclusive = true, multiplicity = "1") Target target;

        @Override
        int act(SlapClient client) throws Exception {
            List<Compliance.Attachment> all = client.compliance().attachments(target.kind(), target.name());
            return listed(all, new Table("KIND", "NAME", "WHERE"), t -> all.forEach(a -> t.row(
                    a.moduleset() != null ? "moduleset" : "ruleset", a.moduleset() != null ? a.moduleset() : a.ruleset(),
                    a.filter() == null ? "everywhere" : a.filter().describe())));
        }
    }

    @Command(name = "results", mixinStandardHelpOptions = true,
            description = {"The newest compliance results of a node (its node-level modules) or of an instance, newest first.",
                    "TARGET is a node you manage, else one of your instances; --instance forces an instance."})
    static final class Results extends Verb {
        @Parameters(index = "0", paramLabel = "NODE|INSTANCE")
        String target;
        @Option(names = "--instance", description = "TARGET is an instance") boolean instance;
        @Option(names = "--limit", paramLabel = "N", description = "how many (default 20, at most 1000)") int limit = 20;
        @Option(names = "--output", description = "print each result's output too") boolean output;

        @Override
        int act(SlapClient client) throws Exception {
            List<Compliance.Result> all = client.compliance().results(instance ? Compliance.TargetKind.instance : null, target, limit);
            return listed(all, new Table("AT", "PARTITION", "MODULE", "ACTION", "EXIT", "MS", "OUTPUT"), t -> all.forEach(r ->
                    t.row(java.time.Instant.ofEpochMilli(r.at()).toString(), r.partition(), r.module(), r.action(), r.exitCode(),
                            r.durationMs(), output ? r.output().strip() : r.output().strip().lines().findFirst().orElse(""))));
        }
    }
}
