package io.confext.operator.rollout;

import java.util.Objects;

/**
 * The planner's rules for one rollout: {@code spec.rollout} with defaults already applied. Not the API
 * type ({@link io.confext.api.v1alpha1.RolloutPolicy}, what a person writes); this is what the planner
 * decides by.
 *
 * @param canaryCount      how many canary nodes; {@link #CANARY_UP_TO_BUDGET} with a selector whose count is unset
 * @param canaryBySelector the canary nodes are those matching {@code canary.nodeSelector}
 *                         ({@link NodeView#canaryCandidate}), not the first by {@link RolloutOrder}
 */
public record RolloutRules(
        MaxUnavailable maxUnavailable,
        int canaryCount,
        int minReadySeconds,
        int progressDeadlineSeconds,
        boolean paused,
        OnFailure onFailure,
        boolean canaryBySelector) {
    /** A canary chosen by selector without a count: at most maxUnavailable of the matching nodes, one wave. */
    public static final int CANARY_UP_TO_BUDGET = Integer.MAX_VALUE;

    /** The canary, if any, is the first canaryCount nodes by the rollout order. */
    public RolloutRules(
            MaxUnavailable maxUnavailable,
            int canaryCount,
            int minReadySeconds,
            int progressDeadlineSeconds,
            boolean paused,
            OnFailure onFailure) {
        this(maxUnavailable, canaryCount, minReadySeconds, progressDeadlineSeconds, paused, onFailure, false);
    }

    public RolloutRules {
        Objects.requireNonNull(maxUnavailable, "maxUnavailable");
        Objects.requireNonNull(onFailure, "onFailure");
        if (canaryCount < 0 || minReadySeconds < 0 || progressDeadlineSeconds < 1) {
            throw new IllegalArgumentException(
                    "canary.count and minReadySeconds must be >= 0, progressDeadlineSeconds >= 1");
        }
    }

    public static RolloutRules defaults() {
        return new RolloutRules(MaxUnavailable.count(1), 0, 0, 600, false, OnFailure.HALT);
    }

    public RolloutRules withPaused(boolean p) {
        return new RolloutRules(
                maxUnavailable, canaryCount, minReadySeconds, progressDeadlineSeconds, p, onFailure, canaryBySelector);
    }
}
