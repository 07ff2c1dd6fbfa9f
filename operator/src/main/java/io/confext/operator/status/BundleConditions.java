package io.confext.operator.status;

/**
 * Condition types of a ConfextBundle: the vocabulary users and alerts match on. Their reasons are in the shared
 * catalogue {@link io.confext.api.status.Reason}.
 */
public final class BundleConditions {
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String PAUSED = "Paused";
    /** Set only while a deleted bundle waits for its nodes to remove it. */
    public static final String TERMINATING = "Terminating";

    private BundleConditions() {}
}
