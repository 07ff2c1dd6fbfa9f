package io.confext.operator.bundle;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How soon a bundle may be reconciled again: in proportion to how many nodes its last reconcile planned,
 * {@link #PER_NODE} each, between {@link #MIN} and {@link #MAX}. A reconcile reads and plans every node of
 * its bundle: a bundle of 200 nodes or more is reconciled at most once a second, as before, so that its
 * agents' reports are batched; a small one within tens of milliseconds of a report, so that its next wave
 * starts at once (measured: a 3-node rollout with maxUnavailable 1 waited about a second per wave on the
 * fixed one-second pace). 1 ms per node was tried: 500 nodes x 5 bundles (FleetBenchmark) then cost 65%
 * more reconciler CPU per node transition for version 1. The status write has its own pace ({@link StatusWritePacer}). In memory only.
 */
final class ReconcileSpacing {
    static final Duration MIN = Duration.ofMillis(50);
    static final Duration MAX = Duration.ofSeconds(1);
    static final Duration PER_NODE = Duration.ofMillis(5);

    private record Last(Instant at, Duration spacing) {}

    private final Map<String, Last> last = new ConcurrentHashMap<>();

    /** The spacing after a reconcile that planned this many nodes. */
    static Duration after(int nodes) {
        Duration d = PER_NODE.multipliedBy(Math.max(0, nodes));
        return d.compareTo(MIN) < 0 ? MIN : d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** How long the bundle's next reconcile must wait, if at all. */
    Optional<Duration> waitBefore(String bundle, Instant now) {
        Last l = last.get(bundle);
        if (l == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, l.at().plus(l.spacing()));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    void ran(String bundle, Instant at, int nodes) {
        last.put(bundle, new Last(at, after(nodes)));
    }

    void forget(String bundle) {
        last.remove(bundle);
    }
}
