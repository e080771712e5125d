package org.slapgrid.slap.model;

import java.util.List;
import java.util.Map;

/**
 * The compliance records of the protocol (docs/compliance.md): rulesets and modulesets kept at
 * the master, their attachment to nodes, instances and clusters, the plan a node asks for, and
 * the results it reports. One holder so the vocabulary reads in one place.
 */
public final class Compliance {
    private Compliance() {
    }

    /**
     * The variable part of {@code OSVC_COMP_<KEY>} for a ruleset key: upper case, '-', '.' and
     * space as '_', as OpenSVC exports them (so seed 002's modules run unchanged).
     */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_').replace(' ', '_');
    }

    /** Where a moduleset or ruleset is attached: a node (its modules run as root), an instance or a cluster (as the partition's user). */
    public enum TargetKind { node, instance, cluster }

    /** The actions of seed 002's modules, and {@code auto} (fix the autofix modules, check the others). */
    public enum Action { check, fix, fixable, auto }

    /**
     * A ruleset: variables given to every module of a target as {@code OSVC_COMP_<KEY>} and
     * {@code SLAPGRID_COMP_<KEY>}; a value is any JSON value (a string is given as is, anything
     * else as its compact JSON).
     */
    public record Ruleset(String name, String owner, Map<String, Object> variables) {
    }

    /** {@code PATCH} of a ruleset: variables to set (or replace) and variables to remove. */
    public record RulesetUpdate(Map<String, Object> set, List<String> unset) {
    }

    /** A module of a moduleset, by name ({@code S50-spdc.packages} is module {@code spdc.packages}). */
    public record Module(String name, boolean autofix) {
    }

    /** A moduleset: modules, nested modulesets (cycles refused) and the rulesets it brings. */
    public record Moduleset(String name, String owner, List<Module> modules, List<String> modulesets, List<String> rulesets) {
    }

    /** {@code PATCH} of a moduleset; a module added again takes the new autofix flag. */
    public record ModulesetUpdate(List<Module> addModules, List<String> removeModules, List<String> addModulesets,
                                  List<String> removeModulesets, List<String> addRulesets, List<String> removeRulesets) {
    }

    /**
     * A moduleset or a ruleset (exactly one) attached to a target, named in the caller's
     * namespace; with a {@code filter}, it applies only on the nodes the filter matches (null: everywhere).
     */
    public record Attachment(TargetKind targetKind, String target, String moduleset, String ruleset, Filter filter) {
        public Attachment(TargetKind targetKind, String target, String moduleset, String ruleset) {
            this(targetKind, target, moduleset, ruleset, null);
        }
    }

    /**
     * Where an attachment applies (OpenSVC's filtersets, on what a node is): {@code node} a glob
     * on the node's id ({@code spd0*}; {@code *} any run of characters, {@code ?} one),
     * {@code os} a glob on the node's OS as it tells it ({@code ID-VERSION_ID} of
     * /etc/os-release: {@code debian-12}), {@code tags} a tag expression in OpenSVC's syntax
     * ({@code ,} or, {@code +} and) over the node's tags ({@code [slapos] tags} of slapos.cfg),
     * {@code instanceTags} one over the instance's tags (those of its services, as its node
     * last reported them; node level: no instance, so never). Every field given must match; a
     * node that does not tell its OS matches no {@code os}.
     */
    public record Filter(String node, String os, String tags, String instanceTags) {
        public Filter(String node, String os, String tags) {
            this(node, os, tags, null);
        }

        /** At node level ({@code instanceTags} null: there is no instance) or for an instance with these tags. */
        public boolean matches(String nodeId, Facts facts, java.util.Collection<String> ofInstance) {
            Facts f = facts == null ? Facts.NONE : facts;
            return (node == null || glob(node, nodeId)) && (os == null || (f.os() != null && glob(os, f.os())))
                    && (tags == null || org.slapgrid.slap.tags.TagExpression.parse(tags).matches(f.tags()))
                    && (instanceTags == null || (ofInstance != null
                    && org.slapgrid.slap.tags.TagExpression.parse(instanceTags).matches(ofInstance)));
        }

        public boolean matches(String nodeId, Facts facts) {
            return matches(nodeId, facts, null);
        }

        public String describe() {
            List<String> parts = new java.util.ArrayList<>();
            if (node != null) {
                parts.add("node " + node);
            }
            if (os != null) {
                parts.add("os " + os);
            }
            if (tags != null) {
                parts.add("tags " + tags);
            }
            if (instanceTags != null) {
                parts.add("instance tags " + instanceTags);
            }
            return String.join(", ", parts);
        }

        /** {@code *} any run of characters, {@code ?} one, anything else itself. */
        public static boolean glob(String glob, String text) {
            StringBuilder re = new StringBuilder();
            for (char ch : glob.toCharArray()) {
                re.append(ch == '*' ? ".*" : ch == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(ch)));
            }
            return text != null && text.matches(re.toString());
        }
    }

    /** What a node tells of itself when it asks for its plan, for the filters: its OS and its tags. */
    public record Facts(String os, List<String> tags) {
        public static final Facts NONE = new Facts(null, List.of());

        public Facts {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }
    }

    /** A module as a node runs it: its flag, and the modulesets through which it was reached. */
    public record PlannedModule(String name, boolean autofix, List<String> modulesets) {
    }

    /**
     * What one target of a node runs: the node itself ({@code partition} null; modules of the
     * releases supplied to the node, as root) or the instance of a partition (modules of its
     * release, as the partition's user), with the variables of every ruleset reached.
     */
    public record Target(String partition, String instance, String softwareUrl, List<PlannedModule> modules,
                         Map<String, Object> variables) {
        public boolean nodeLevel() {
            return partition == null;
        }
    }

    /** {@code GET /api/v1/nodes/{node}/compliance}: every target of the node that has modules. */
    public record Plan(String node, List<Target> targets) {
    }

    /**
     * One run of one module: {@code exitCode} 0 ok, 1 not ok, 2 not applicable, anything else
     * an error (-1: killed at its deadline, or refused before it ran: the output says why).
     * {@code action} is what ran (check, fix, fixable); {@code at} epoch milliseconds.
     */
    public record Result(String node, String partition, String instance, String module, Action action, int exitCode,
                         String output, long durationMs, long at) {
    }

    /**
     * {@code POST /api/v1/compliance/runs}: the master asks a node (its node-level modules), an
     * instance or every member of a cluster (their instances' modules) to run {@code action}
     * (default check), optionally only the modules reached through {@code moduleset}, or one {@code module}.
     */
    public record RunRequest(TargetKind targetKind, String target, Action action, String moduleset, String module) {
    }

    /** One module's end in a run: its status (the last check's exit code; -1 not run) and a note ("not fixable, skip fix"). */
    public record ModuleStatus(String partition, String instance, String module, int status, String note) {
        public boolean ok() {
            return status == 0 || status == 2;
        }
    }

    /**
     * One node's part of a run: the job it runs it through (a node-level job for a node, the
     * instance's partition job otherwise), that job's state (PENDING, RUNNING, DONE, FAILED), and
     * once DONE each module's status. {@code exitCode} 0: every module ok.
     */
    public record RunPart(String node, String partition, String instance, String job, JobState state, Integer exitCode,
                          String output, List<ModuleStatus> modules) {
        public RunPart {
            modules = modules == null ? List.of() : modules;
        }

        public boolean ok() {
            return state == JobState.DONE && exitCode != null && exitCode == 0;
        }
    }

    /**
     * A compliance run the master asked for ({@code GET /api/v1/compliance/runs/{id}}):
     * {@code state} PENDING until a part runs, RUNNING, then DONE (every part done) or FAILED
     * (a part failed: its output says why). {@code ok}: DONE and every module ok.
     */
    public record Run(String id, TargetKind targetKind, String target, Action action, String moduleset, String module,
                      long createdAt, JobState state, boolean ok, List<RunPart> parts) {
    }

    /** {@code POST /api/v1/nodes/{node}/compliance/results}. */
    public record Report(List<Result> results) {
    }
}
