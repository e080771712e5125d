package org.slapgrid.master.service;

import java.util.Set;

/** Told, after commit, which nodes a change touched (the long-poll notifier listens). */
@FunctionalInterface
public interface ChangeListener {
    void changed(Set<String> nodeIds);
}
