package org.slapgrid.slap.model;

/** The answer to deleting a node (admin): the node, and how many instances went with it. */
public record NodeDeletion(String node, int instances) {
}
