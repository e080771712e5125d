/**
 * Compliance on the node (docs/compliance.md): modules named {@code S<NN>-<name>} installed by
 * releases, run with {@code check}, {@code fix} or {@code fixable} as seed 002's OpenSVC modules
 * are (0 ok, 1 not ok, 2 not applicable), with the rulesets of their target as
 * {@code OSVC_COMP_*} variables. Node-level modules run as root only from root's own, unwritable
 * paths; an instance's modules come from its release and run as the partition's user.
 */
package org.slapgrid.node.compliance;
