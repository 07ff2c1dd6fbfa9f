package io.confext.operator.bundle;

import io.confext.api.status.Reason;
import io.confext.operator.rollout.NodeView;
import io.confext.operator.rollout.Observation;
import io.confext.operator.rollout.RevisionTarget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which nodes newly report that their agent is about to restart a unit for its first extension ({@link
 * Reason#RestartPlanned}), so that each such report becomes one Event on the bundle. In memory, per bundle, only the
 * reports standing now (bounded by the nodes): an operator restart can repeat an Event, never lose a new one. A
 * report the operator never sees (the restart and its proof were over before it reconciled) makes no Event; the
 * node's final status says what happened.
 */
final class PlannedRestarts {
    private final Map<String, Map<String, String>> standing = new ConcurrentHashMap<>();

    /** The nodes whose RestartPlanned report for {@code target} this operator has not announced yet. */
    List<NodeView> fresh(String bundle, List<NodeView> views, RevisionTarget target) {
        Map<String, String> now = new HashMap<>();
        for (NodeView v : views) {
            Observation o = v.observed();
            if (o != null && o.isFor(target) && Reason.RestartPlanned.name().equals(o.reason())) {
                now.put(v.name(), o.since() + "|" + o.message());
            }
        }
        Map<String, String> before = standing.getOrDefault(bundle, Map.of());
        standing.put(bundle, now);
        return views.stream()
                .filter(v -> now.containsKey(v.name()) && !Objects.equals(before.get(v.name()), now.get(v.name())))
                .toList();
    }

    void forget(String bundle) {
        standing.remove(bundle);
    }
}
