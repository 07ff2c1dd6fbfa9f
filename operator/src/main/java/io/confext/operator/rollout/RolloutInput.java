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
 */
public record RolloutInput(String bundle, RolloutRules policy, RevisionTarget target, RevisionTarget stable,
                           boolean rollingBack, Instant progressSince, List<NodeView> nodes, Instant now) {
    public RolloutInput {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(progressSince, "progressSince");
        Objects.requireNonNull(now, "now");
        nodes = List.copyOf(nodes);
    }
}
