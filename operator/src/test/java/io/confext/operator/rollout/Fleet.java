package io.confext.operator.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small in-memory fleet for planner tests: nodes with a desired entry (what the operator wrote)
 * and an observation (what the agent reported). Applying a plan writes the desired entries, as
 * the reconciler would.
 */
final class Fleet {
    static final class Node {
        final String name;
        boolean matches = true;
        boolean ready = true;
        /** Matches the bundle's canary.nodeSelector. */
        boolean canary;

        Assignment desired;
        Observation observed;

        Node(String name) {
            this.name = name;
        }

        NodeView view() {
            return new NodeView(name, matches, ready, desired, Eligibility.ELIGIBLE, observed, canary);
        }
    }

    final Map<String, Node> nodes = new LinkedHashMap<>();

    static Fleet of(int n) {
        Fleet f = new Fleet();
        for (int i = 0; i < n; i++) {
            f.add("node-" + i);
        }
        return f;
    }

    Node add(String name) {
        Node n = new Node(name);
        nodes.put(name, n);
        return n;
    }

    Node get(String name) {
        return nodes.get(name);
    }

    List<NodeView> views() {
        List<NodeView> v = new ArrayList<>();
        nodes.values().forEach(n -> v.add(n.view()));
        return v;
    }

    void apply(RolloutPlan plan) {
        for (NodeDecision d : plan.decisions()) {
            Node n = nodes.get(d.name());
            if (n != null) {
                n.desired = d.desired();
            }
        }
    }

    /** The agent of {@code name} reports its desired revision in the given phase. */
    void report(String name, NodePhase phase, Instant since) {
        Node n = nodes.get(name);
        RevisionTarget r = n.desired.revision();
        n.observed = new Observation(
                phase, r.name(), r.digest(), since, phase == NodePhase.FAILED ? "ReloadFailed" : "Proven", "");
    }

    /** Every node that was assigned something but does not report it yet. */
    List<String> assignedNotReported() {
        return nodes.values().stream()
                .filter(n -> n.desired != null && (n.observed == null || !n.observed.isFor(n.desired.revision())))
                .map(n -> n.name)
                .toList();
    }
}
