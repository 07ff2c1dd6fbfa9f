package io.confext.operator.node;

import io.confext.api.v1alpha1.ConfextNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Whether a ConfextNode whose Node the operator's cache does not hold may still see its Node arrive. The operator makes
 * a ConfextNode when its Node appears, so the Node cache of a bundle reconciler can lag behind a new ConfextNode by
 * the watch latency; a plan made in that gap could call a rollout complete without the new node, so the bundle waits.
 * A ConfextNode older than {@link #GRACE} without a Node will not get one (made by hand, or left behind without the
 * owner reference the operator gives its own): waiting for it would stall every bundle for good, so it is left out.
 */
public final class NodeCacheLag {
    /** Far longer than any watch latency, short enough that a stray ConfextNode holds no rollout for long. */
    public static final Duration GRACE = Duration.ofSeconds(30);

    private NodeCacheLag() {}

    /** @param now the operator's clock */
    public static boolean mayStillArrive(ConfextNode cxn, Instant now) {
        String created = cxn.getMetadata().getCreationTimestamp();
        if (created == null) {
            return true; // not stored yet: certainly new
        }
        try {
            return Instant.parse(created).plus(GRACE).isAfter(now);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
