package io.confext.operator.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one planning step needs, all of it read from the API, so a restarted operator plans
 * exactly as the one before it.
 *
 * @param stable        the last fully rolled-out revision (null: none yet)
 * @param rollingBack   a rollback from {@code target} was started earlier (kept in the bundle status)
 * @param progressSince the earliest moment progress is measured from (target revision creation or resume)
 * @param markRollback  the target is older than what the bundle delivered and allowed ({@link UndoPlanner}):
 *                      its node entries carry the downgrade permit
 */
public record RolloutInput(
        String bundle,
        RolloutRules policy,
        RevisionTarget target,
        RevisionTarget stable,
        boolean rollingBack,
        Instant progressSince,
        List<NodeView> nodes,
        Instant now,
        boolean markRollback) {
    public RolloutInput {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(progressSince, "progressSince");
        Objects.requireNonNull(now, "now");
        nodes = List.copyOf(nodes);
    }

    /** A forward rollout: the target's entries carry no downgrade permit. */
    public RolloutInput(
            String bundle,
            RolloutRules policy,
            RevisionTarget target,
            RevisionTarget stable,
            boolean rollingBack,
            Instant progressSince,
            List<NodeView> nodes,
            Instant now) {
        this(bundle, policy, target, stable, rollingBack, progressSince, nodes, now, false);
    }
}
