package org.slapgrid.master.ui;

import java.util.List;
import java.util.Map;
import org.slapgrid.master.service.WebViews;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.NodeSummary;
import org.slapgrid.slap.model.SoftwareSupply;

/** What each page template is given. */
public final class Pages {
    private Pages() {
    }

    /** The frame of every page: title, the active menu entry, the session (null on the login page). */
    public record Frame(String title, String nav, UiSession session) {
        public String user() {
            return session == null ? "" : session.user().subject();
        }

        public String csrf() {
            return session == null ? "" : session.csrf();
        }

        /** The htmx headers every request of the page sends: the CSRF token. */
        public String htmxHeaders() {
            return "{\"" + Sessions.CSRF_HEADER + "\": \"" + csrf() + "\"}";
        }
    }

    /** A count per state, for the overview. */
    public record Count(String label, long count, String css) {
    }

    public record Overview(List<NodeRow> nodes, long nodesUp, long nodesDown, List<Count> byState, int instances,
                           List<WebViews.Bang> bangs, List<Instance> errors, List<WebViews.AuditEntry> activity) {
    }

    /** A node and what the page says of it; {@code addresses} is its partitions' address range (null: none reported). */
    public record NodeRow(NodeSummary node, boolean up, List<SoftwareSupply> software, String addresses) {
    }

    /** One line of the instance tree: the instance and its depth below its root. */
    public record TreeRow(Instance instance, int depth) {
    }

    public record InstanceList(List<TreeRow> rows, int total, String query, String state, List<String> releases) {
    }

    public record InstanceDetail(Instance instance, List<Instance> children, List<WebViews.Bang> bangs,
                                 org.slapgrid.slap.model.PartitionStatus status, boolean editable, String why) {
    }

    /** The request or update form: what it is for, the release and type, and the generated fields. */
    public record RequestForm(boolean update, String instanceId, String name, String url, String type, String node,
                              ParameterForm.View params, Map<String, String> errors, String formError,
                              List<String> releases) {
    }

    public record Login(String error, boolean expired) {
    }

    public record Problem(int status, String title, String message) {
    }
}
