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

    /** A moduleset or a ruleset (exactly one) attached to a target, named in the caller's namespace. */
    public record Attachment(TargetKind targetKind, String target, String moduleset, String ruleset) {
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

    /** {@code POST /api/v1/nodes/{node}/compliance/results}. */
    public record Report(List<Result> results) {
    }
}
