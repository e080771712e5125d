package org.slapgrid.node.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.slap.model.ClusterMember;

/**
 * The members of a test cluster where they run: each on its own node's supervisord. What runs is
 * named {@code member:script} ({@code pod.0:pod01-sm}), so two nodes' {@code slappart0} do not meet.
 */
record Members(Map<String, Member> byName) {

    /** One member: its node and partition. */
    record Member(String name, NodeFixture node, String partition) {
    }

    static Members of(List<ClusterMember> members, List<NodeFixture> nodes) {
        Map<String, Member> out = new TreeMap<>();
        for (ClusterMember m : members) {
            NodeFixture n = nodes.stream().filter(f -> f.nodeId().equals(m.node())).findFirst().orElseThrow();
            out.put(m.name(), new Member(m.name(), n, m.partition()));
        }
        return new Members(out);
    }

    Member get(String name) {
        return byName.get(name);
    }

    /** member:script for each member and script. */
    Set<String> all(List<String> scripts) {
        Set<String> out = new TreeSet<>();
        byName.keySet().forEach(m -> scripts.forEach(s -> out.add(m + ":" + s)));
        return out;
    }

    /** member:script of each program of the members that runs. */
    Set<String> running() {
        return select().keySet();
    }

    /** member:script to pid of each running program of the members. */
    Map<String, Integer> pids() {
        return select();
    }

    private Map<String, Integer> select() {
        Map<String, Integer> out = new TreeMap<>();
        for (Member m : byName.values()) {
            Map<String, ProcessInfo> byProgram = new TreeMap<>();
            m.node().supervisor().client().getAllProcessInfo().forEach(p -> byProgram.put(p.name(), p));
            m.node().supervisor().managedPrograms().values().forEach(p -> {
                ProcessInfo info = byProgram.get(p.spec().name());
                if (p.spec().partitionId().equals(m.partition()) && info != null && info.state() == ProcessState.RUNNING) {
                    out.put(m.name() + ":" + p.spec().scriptName(), info.pid());
                }
            });
        }
        return out;
    }

    /** The supervisord state of one program of a member. */
    ProcessState state(String member, String script) {
        Member m = byName.get(member);
        String name = m.node().supervisor().managedPrograms().values().stream()
                .filter(p -> p.spec().partitionId().equals(m.partition()) && p.spec().scriptName().equals(script))
                .findFirst().orElseThrow().spec().name();
        return m.node().supervisor().client().getProcessInfo(name).state();
    }

    /** Waits until exactly {@code expected} run (the nodes' logs in the failure's message). */
    void awaitRunning(Set<String> expected, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() ->
                assertThat(running()).as(logs()).isEqualTo(expected));
    }

    String logs() {
        StringBuilder s = new StringBuilder();
        byName.values().stream().map(Member::node).distinct().forEach(n -> s.append("--- ").append(n.nodeId()).append('\n')
                .append(tail(n.log())).append('\n'));
        return s.toString();
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }
}
