package io.confext.operator.rollout;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RolloutOrder#key} of each bundle's nodes, hashed once and kept: the key is a SHA-256 of the two names,
 * and the planner sorts every node of the bundle on every reconcile (profiled at 500 nodes x 10 bundles, before
 * the keys were kept: half the reconciler's CPU went to hashing names for that sort). A memo of a pure function,
 * so plans stay the same. In memory, bounded by the nodes each bundle sees ({@link #retain}).
 */
public final class OrderKeyMemo implements RolloutOrder.Keys {
    private final Map<String, Map<String, Long>> byBundle = new ConcurrentHashMap<>();

    @Override
    public long key(String bundle, String node) {
        return byBundle.computeIfAbsent(bundle, b -> new ConcurrentHashMap<>())
                .computeIfAbsent(node, n -> RolloutOrder.key(bundle, n));
    }

    /** Drops the keys of nodes the bundle no longer sees, once it holds more keys than it sees nodes. */
    public void retain(String bundle, List<NodeView> nodes) {
        Map<String, Long> m = byBundle.get(bundle);
        if (m != null && m.size() > nodes.size()) {
            Set<String> names = new HashSet<>();
            nodes.forEach(n -> names.add(n.name()));
            m.keySet().retainAll(names);
        }
    }

    /** How many keys are kept for the bundle. */
    int size(String bundle) {
        Map<String, Long> m = byBundle.get(bundle);
        return m == null ? 0 : m.size();
    }

    public void forget(String bundle) {
        byBundle.remove(bundle);
    }
}
