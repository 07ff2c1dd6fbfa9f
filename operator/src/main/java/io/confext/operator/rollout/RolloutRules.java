package io.confext.operator.rollout;

import java.util.Objects;

/**
 * The planner's rules for one rollout: {@code spec.rollout} with defaults already applied. Not the API
 * type ({@link io.confext.api.v1alpha1.RolloutPolicy}, what a person writes); this is what the planner
 * decides by.
 */
public record RolloutRules(MaxUnavailable maxUnavailable, int canaryCount, int minReadySeconds,
                            int progressDeadlineSeconds, boolean paused, OnFailure onFailure) {
    public RolloutRules {
        Objects.requireNonNull(maxUnavailable, "maxUnavailable");
        Objects.requireNonNull(onFailure, "onFailure");
        if (canaryCount < 0 || minReadySeconds < 0 || progressDeadlineSeconds < 1) {
            throw new IllegalArgumentException("canary.count and minReadySeconds must be >= 0, progressDeadlineSeconds >= 1");
        }
    }

    public static RolloutRules defaults() {
        return new RolloutRules(MaxUnavailable.count(1), 0, 0, 600, false, OnFailure.HALT);
    }

    public RolloutRules withPaused(boolean p) {
        return new RolloutRules(maxUnavailable, canaryCount, minReadySeconds, progressDeadlineSeconds, p, onFailure);
    }
}
