package io.confext.operator.rollout;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own time for what the agents report: when it first saw each node's report for a
 * bundle in its present state (phase, revision, digest). The planner times minReadySeconds and the
 * progress deadline from this, never from the agent's {@code since}: an agent whose clock is behind
 * would shorten minReadySeconds, one whose clock is ahead would push the last progress into the
 * future and so freeze the deadline. No clock of its own ({@code now} comes in) and no I/O.
 *
 * <p>Kept in memory: after an operator restart every report counts as seen at the first reconcile,
 * which can only lengthen a wait, except that a rollout the previous status already records as
 * complete on its target keeps its Active nodes available (they were counted then), so a restart
 * does not turn a finished rollout back into one waiting for minReadySeconds.
 */
public final class ReportClock {
    private record Seen(String key, Instant at) {
    }

    private final Map<String, Map<String, Seen>> byBundle = new ConcurrentHashMap<>();

    /**
     * The view with its observation's time replaced by the operator's.
     *
     * @param completedTarget the target when the previous status records it complete, else null
     */
    public NodeView stamp(String bundle, NodeView view, Instant now, RevisionTarget completedTarget) {
        Observation o = view.observed();
        Map<String, Seen> nodes = byBundle.computeIfAbsent(bundle, b -> new ConcurrentHashMap<>());
        if (o == null) {
            nodes.remove(view.name());
            return view;
        }
        String key = o.phase() + "\u0000" + o.revision() + "\u0000" + o.digest();
        Seen seen = nodes.get(view.name());
        if (seen == null || !seen.key().equals(key)) {
            boolean counted = seen == null && completedTarget != null && o.phase() == NodePhase.ACTIVE && o.isFor(completedTarget);
            seen = new Seen(key, counted ? Instant.EPOCH : now);
            nodes.put(view.name(), seen);
        }
        return new NodeView(view.name(), view.matches(), view.agentReady(), view.desired(), view.eligibility(), o.at(seen.at()));
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
