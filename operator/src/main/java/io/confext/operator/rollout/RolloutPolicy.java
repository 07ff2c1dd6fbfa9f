package io.confext.operator.rollout;

import java.util.Objects;

/** The planner's view of {@code spec.rollout}, with defaults already applied. */
public record RolloutPolicy(MaxUnavailable maxUnavailable, int canaryCount, int minReadySeconds,
                            int progressDeadlineSeconds, boolean paused, OnFailure onFailure) {
    public RolloutPolicy {
        Objects.requireNonNull(maxUnavailable, "maxUnavailable");
        Objects.requireNonNull(onFailure, "onFailure");
        if (canaryCount < 0 || minReadySeconds < 0 || progressDeadlineSeconds < 1) {
            throw new IllegalArgumentException("canary.count and minReadySeconds must be >= 0, progressDeadlineSeconds >= 1");
        }
    }

    public static RolloutPolicy defaults() {
        return new RolloutPolicy(MaxUnavailable.count(1), 0, 0, 600, false, OnFailure.HALT);
    }

    public RolloutPolicy withPaused(boolean p) {
        return new RolloutPolicy(maxUnavailable, canaryCount, minReadySeconds, progressDeadlineSeconds, p, onFailure);
    }
}
