package org.slapgrid.slap.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/clusters/{name}/actions}, Senlin's action body: for now the one action
 * {@code {"complete_lifecycle": {"lifecycle_action_token": "..."}}} (202).
 */
public record ClusterAction(@JsonProperty("complete_lifecycle") CompleteLifecycle completeLifecycle) {

    public record CompleteLifecycle(@JsonProperty("lifecycle_action_token") String lifecycleActionToken) {
    }
}
