package io.confext.api.v1alpha1;

/** What a rollout does when a node fails. */
public enum FailurePolicy {
    Halt,
    Rollback
}
