package io.confext.operator.bundle;

import io.confext.operator.rollout.Assignment;
import io.confext.operator.rollout.NodeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node entries a bundle's reconciler wrote that its ConfextNode cache may not show yet. The next
 * reconcile plans with what was written, not with the cache's older entry: otherwise a reconcile that
 * follows soon after a write (a small bundle is reconciled within tens of milliseconds, {@link
 * ReconcileSpacing}) would take the node for unassigned and write the same entry again. An entry is
 * forgotten once the cache shows it, or after {@link #HOLD} (then the cache is trusted again: someone else
 * changed the entry, or the write never reached the cache). In memory only.
 */
final class RecentEntryWrites {
    static final Duration HOLD = Duration.ofSeconds(30);

    private record Written(Assignment desired, Instant at) {}

    private final Map<String, Map<String, Written>> byBundle = new ConcurrentHashMap<>();

    void wrote(String bundle, String node, Assignment desired, Instant at) {
        byBundle.computeIfAbsent(bundle, b -> new ConcurrentHashMap<>()).put(node, new Written(desired, at));
    }

    /** The views with each node's entry as last written, where the cache does not show it yet. */
    List<NodeView> overlay(String bundle, List<NodeView> views, Instant now) {
        Map<String, Written> written = byBundle.get(bundle);
        if (written == null || written.isEmpty()) {
            return views;
        }
        List<NodeView> out = new ArrayList<>(views.size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (NodeView v : views) {
            Written w = written.get(v.name());
            if (w != null) {
                seen.add(v.name());
            }
            if (w == null) {
                out.add(v);
            } else if (Objects.equals(w.desired(), v.desired()) || !now.isBefore(w.at().plus(HOLD))) {
                written.remove(v.name());
                out.add(v);
            } else {
                out.add(v.withDesired(w.desired()));
            }
        }
        // nodes no longer among the views (deleted) are no longer held
        written.keySet().retainAll(seen);
        return out;
    }

    void forget(String bundle) {
        byBundle.remove(bundle);
    }
}
