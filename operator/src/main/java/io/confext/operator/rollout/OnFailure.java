package io.confext.operator.rollout;

/** What the rollout does when a node fails the target revision. */
public enum OnFailure {
    HALT,
    ROLLBACK
}
