package io.confext.operator.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The operator's own time for what the agents report: when it first saw each node's report for a
 * bundle in its present state (phase, revision, digest). The planner times minReadySeconds and the
 * progress deadline from this, never from the agent's {@code since}: an agent whose clock is behind
 * would shorten minReadySeconds, one whose clock is ahead would push the last progress into the
 * future and so freeze the deadline. No clock of its own ({@code now} comes in) and no I/O.
 *
 * <p>Kept in memory: after an operator restart every report counts as seen at the first reconcile,
 * which can only lengthen a wait, except that on the first reconcile of a bundle (nothing known of
 * it yet) a rollout the previous status records as complete on its target keeps its Active nodes
 * available (they were counted then), so a restart does not turn a finished rollout back into one
 * waiting for minReadySeconds. Later first sightings (a node that joined) are timed as usual.
 */
public final class ReportClock {
    /** What a report is, for whether it changed: a record, not a joined string (built for every node and reconcile). */
    private record Report(NodePhase phase, String revision, String digest) {}

    private record Seen(Report key, Instant at) {}

    private final Map<String, Map<String, Seen>> byBundle = new ConcurrentHashMap<>();

    /**
     * The views with their observations' times replaced by the operator's; forgets nodes not among them.
     *
     * @param completedTarget the target when the previous status records it complete, else null
     */
    public List<NodeView> stampAll(String bundle, List<NodeView> views, Instant now, RevisionTarget completedTarget) {
        RevisionTarget counted = byBundle.containsKey(bundle) ? null : completedTarget;
        List<NodeView> out =
                views.stream().map(v -> stamp(bundle, v, now, counted)).toList();
        retain(bundle, out.stream().map(NodeView::name).collect(Collectors.toSet()));
        return out;
    }

    /**
     * One view with its observation's time replaced by the operator's.
     *
     * @param countedTarget a target whose Active reports, when first seen, count as seen long ago (null: none)
     */
    public NodeView stamp(String bundle, NodeView view, Instant now, RevisionTarget countedTarget) {
        Observation o = view.observed();
        RevisionTarget completedTarget = countedTarget;
        Map<String, Seen> nodes = byBundle.computeIfAbsent(bundle, b -> new ConcurrentHashMap<>());
        if (o == null) {
            nodes.remove(view.name());
            return view;
        }
        Report key = new Report(o.phase(), o.revision(), o.digest());
        Seen seen = nodes.get(view.name());
        if (seen == null || !seen.key().equals(key)) {
            boolean counted = seen == null
                    && completedTarget != null
                    && o.phase() == NodePhase.ACTIVE
                    && o.isFor(completedTarget);
            seen = new Seen(key, counted ? Instant.EPOCH : now);
            nodes.put(view.name(), seen);
        }
        return view.withObserved(o.at(seen.at()));
    }

    /** Drops the memory of nodes the bundle no longer sees. */
    public void retain(String bundle, Set<String> nodes) {
        Map<String, Seen> m = byBundle.get(bundle);
        if (m != null) {
            m.keySet().retainAll(nodes);
        }
    }

    public void forget(String bundle) {
        byBundle.remove(bundle);
    }
}
