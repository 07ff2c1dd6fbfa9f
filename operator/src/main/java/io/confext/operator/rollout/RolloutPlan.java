package io.confext.operator.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of one planning step: each node's desired entry plus the facts the status and events
 * are made of. Counts are over targeted nodes (matching the selector, agent ready), except
 * {@code unavailable}, which also counts matching nodes whose agent went away mid-update.
 *
 * @param decisions      every input node, in rollout order
 * @param newlyAssigned  nodes that this step moves to the target (a wave start when non-empty)
 * @param failures       nodes that failed the target, oldest first
 * @param recheckAt      when time alone changes the plan (minReadySeconds elapse, deadline), if ever
 * @param notEligible    nodes matching the selector with a ready agent whose host cannot run the bundle, by name
 */
public record RolloutPlan(
        RolloutState state,
        List<NodeDecision> decisions,
        List<String> newlyAssigned,
        List<FailureFact> failures,
        int targeted,
        int updated,
        int ready,
        int available,
        int failed,
        int unavailable,
        int budget,
        boolean rollbackStarted,
        boolean deadlineExceeded,
        Instant lastProgress,
        Optional<Instant> recheckAt,
        List<NotEligibleNode> notEligible) {
    public RolloutPlan {
        decisions = List.copyOf(decisions);
        newlyAssigned = List.copyOf(newlyAssigned);
        failures = List.copyOf(failures);
        notEligible = List.copyOf(notEligible);
    }

    /** A node the bundle leaves alone because its host cannot run it. */
    public record NotEligibleNode(String node, String reason, String message) {}

    public List<NodeDecision> changes() {
        return decisions.stream().filter(NodeDecision::changed).toList();
    }

    public boolean complete() {
        return state == RolloutState.COMPLETE;
    }

    public boolean rollingBack() {
        return state == RolloutState.ROLLING_BACK || state == RolloutState.ROLLED_BACK;
    }
}
