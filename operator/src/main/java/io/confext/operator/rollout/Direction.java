package io.confext.operator.rollout;

import io.confext.api.status.Reason;

/**
 * Which way a bundle's target moves relative to what it delivered before, as {@link UndoPlanner}
 * decides it. Only a {@link Rollback} gives the nodes the downgrade permit ({@code rollback: true})
 * that their agents need to go to an older version.
 */
public sealed interface Direction {

    /** Whether the target's node entries carry the downgrade permit. */
    default boolean marksRollback() {
        return this instanceof Rollback;
    }

    /** The target is not older than anything the bundle delivered: an ordinary rollout. */
    record Forward() implements Direction {}

    /** The target is older, and allowed: it was delivered before, or the bundle opted in. */
    record Rollback(Reason reason, String message) implements Direction {}

    /** The target is older and was never delivered through this bundle: nothing moves. */
    record Refused(Reason reason, String message) implements Direction {}
}
