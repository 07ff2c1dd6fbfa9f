package io.confext.operator.bundle;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one bundle's status writes at least {@link #SPACING} apart. JOSDK's {@code @RateLimited}
 * spaces reconcile <em>starts</em> by a second, but the status is written at a reconcile's
 * <em>end</em>: a long reconcile (hundreds of node writes) followed by a short one put two status
 * writes within a second (measured: up to 2 in a sliding second, OperatorFleetBenchmark). So the
 * next reconcile of a bundle waits until a second has passed since its last status write was
 * decided. The extra 100 ms cover the write request's own latency jitter, so the server, too, sees
 * them at least a second apart. In memory only: after a restart the first write is free.
 */
final class StatusWritePacer {
    static final Duration SPACING = Duration.ofMillis(1100);

    private final Map<String, Instant> lastWrite = new ConcurrentHashMap<>();

    /** How long the bundle's next reconcile must wait, if at all. */
    Optional<Duration> waitBefore(String bundle, Instant now) {
        Instant last = lastWrite.get(bundle);
        if (last == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, last.plus(SPACING));
        return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
    }

    void wrote(String bundle, Instant at) {
        lastWrite.put(bundle, at);
    }

    void forget(String bundle) {
        lastWrite.remove(bundle);
    }
}
