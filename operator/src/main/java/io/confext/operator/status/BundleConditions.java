package io.confext.operator.status;

/** Condition types and reasons of a ConfextBundle: the vocabulary users and alerts match on. */
public final class BundleConditions {
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String PAUSED = "Paused";
    /** Set only while a deleted bundle waits for its nodes to remove it. */
    public static final String TERMINATING = "Terminating";

    public static final String REASON_ROLLOUT_COMPLETE = "RolloutComplete";
    public static final String REASON_STABLE_VERSION_SERVING = "StableVersionServing";
    public static final String REASON_NO_VERSION_ROLLED_OUT = "NoVersionRolledOut";
    public static final String REASON_CANARY = "CanaryInProgress";
    public static final String REASON_WAVES = "WavesInProgress";
    public static final String REASON_WAITING_MIN_READY = "WaitingMinReady";
    public static final String REASON_DEADLINE = "ProgressDeadlineExceeded";
    public static final String REASON_HALTED = "Halted";
    public static final String REASON_ROLLING_BACK = "RollingBack";
    public static final String REASON_ROLLED_BACK = "RolledBack";
    public static final String REASON_PAUSED = "PausedBySpec";
    public static final String REASON_NOT_PAUSED = "NotPaused";
    public static final String REASON_AS_EXPECTED = "AsExpected";
    public static final String REASON_NODE_FAILED = "NodeFailed";
    /** A node proved the version, then a unit failed, stopped, restarted or lost it (the node's phase Degraded). */
    public static final String REASON_NODE_DEGRADED = "NodeDegraded";
    public static final String REASON_WAITING_FOR_NODES = "WaitingForNodes";
    public static final String REASON_NODES_DID_NOT_ANSWER = "NodesDidNotAnswer";
    /** Going back to a version in status.history: a rollback the operator marks (issue 17). */
    public static final String REASON_ROLLBACK_TO_DELIVERED = "RollbackToDeliveredVersion";
    /** Going below what the bundle delivered to a version it never delivered, with spec.rollout.allowDowngrade. */
    public static final String REASON_DOWNGRADE_ALLOWED = "DowngradeAllowedBySpec";
    /** Going below what the bundle delivered to a version it never delivered, without allowDowngrade: refused. */
    public static final String REASON_DOWNGRADE_NOT_ALLOWED = "DowngradeNotAllowed";
    /** Nodes match the selector, but no host of them can run the bundle (all NotEligible). */
    public static final String REASON_NO_ELIGIBLE_NODES = "NoEligibleNodes";
    /** A node's host has no configuration extensions (systemd < 254): NotEligible. */
    public static final String REASON_CONFEXT_UNSUPPORTED = "ConfextUnsupported";
    /** A node's systemd cannot refresh on reload (< 258) and the bundle is reload: Reload, scope Service: NotEligible. */
    public static final String REASON_RELOAD_REFRESH_UNSUPPORTED = "ReloadRefreshUnsupported";

    private BundleConditions() {
    }
}
