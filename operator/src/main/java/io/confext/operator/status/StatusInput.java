package io.confext.operator.status;

import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.operator.rollout.Direction;
import io.confext.operator.rollout.RevisionTarget;
import io.confext.operator.rollout.RolloutPlan;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the bundle status is made of.
 *
 * @param stable   the last fully rolled-out revision before this step (null: none)
 * @param previous the status as read from the API (null on first reconcile)
 * @param direction how spec.version moves against what the bundle delivered; when it is
 *                  {@link Direction.Refused}, {@code target} and {@code plan} are those of the rollout
 *                  that keeps running (the refused version is never planned)
 * @param degraded  the nodes whose agent reports the target Degraded (a proven unit lost its health), by node name
 */
public record StatusInput(
        long generation,
        RevisionTarget target,
        RevisionTarget stable,
        RolloutPlan plan,
        boolean paused,
        ConfextBundleStatus previous,
        Instant now,
        Direction direction,
        List<DegradedNode> degraded) {
    public StatusInput {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(direction, "direction");
        degraded = degraded == null ? List.of() : List.copyOf(degraded);
    }

    /** No node degraded. */
    public StatusInput(
            long generation,
            RevisionTarget target,
            RevisionTarget stable,
            RolloutPlan plan,
            boolean paused,
            ConfextBundleStatus previous,
            Instant now,
            Direction direction) {
        this(generation, target, stable, plan, paused, previous, now, direction, List.of());
    }

    /** A forward rollout. */
    public StatusInput(
            long generation,
            RevisionTarget target,
            RevisionTarget stable,
            RolloutPlan plan,
            boolean paused,
            ConfextBundleStatus previous,
            Instant now) {
        this(generation, target, stable, plan, paused, previous, now, new Direction.Forward());
    }
}
