package io.confext.operator.status;

import io.confext.api.v1alpha1.ConfextBundleStatus;
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
 * @param degraded the nodes whose agent reports the target Degraded (a proven unit lost its health), by node name
 */
public record StatusInput(long generation, RevisionTarget target, RevisionTarget stable, RolloutPlan plan,
                          boolean paused, ConfextBundleStatus previous, Instant now, List<DegradedNode> degraded) {
    public StatusInput {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(now, "now");
        degraded = degraded == null ? List.of() : List.copyOf(degraded);
    }

    public StatusInput(long generation, RevisionTarget target, RevisionTarget stable, RolloutPlan plan, boolean paused,
                       ConfextBundleStatus previous, Instant now) {
        this(generation, target, stable, plan, paused, previous, now, List.of());
    }
}
