package org.slapgrid.master.service;

import java.util.Map;
import java.util.Set;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;

/**
 * A request for an instance, checked: every field within its limits, defaults filled in
 * (type "default", state started, no filter, no parameters). 400 naming the field otherwise.
 */
record CheckedRequest(String name, String url, String type, Map<String, Object> params, RequestedState state,
                      boolean shared, Map<String, String> filter) {
    private static final Set<String> FILTER_KEYS = Set.of("node", "partition");

    static CheckedRequest of(InstanceRequest req, Limits limits) {
        String name = Validate.text("name", req.name(), 255);
        String url = Validate.text("softwareUrl", req.softwareUrl(), 2048);
        String type = req.softwareType() == null ? "default" : Validate.text("softwareType", req.softwareType(), 255);
        Map<String, String> filter = req.filter() == null ? Map.of() : req.filter();
        for (Map.Entry<String, String> f : filter.entrySet()) {
            if (!FILTER_KEYS.contains(f.getKey())) {
                throw new ApiException(400, "bad_filter", "filter." + f.getKey() + " is not a known filter (known: node, partition)");
            }
            Validate.id("filter." + f.getKey(), f.getValue());
        }
        Map<String, Object> params = req.parameters() == null ? Map.of() : req.parameters();
        ParameterCheck.check("parameters", params, limits, limits.maxParametersBytes());
        return new CheckedRequest(name, url, type, params,
                req.state() == null ? RequestedState.STARTED : req.state(), req.shared(), filter);
    }
}
