package io.confext.agent.state;

/**
 * The journal: which step a bundle is in. Written atomically before the step starts, so that after a SIGKILL
 * the next run knows what may be half done (a staged copy to drop, a version renamed in but not yet proven).
 */
public enum BundleStep {
    /** Nothing in flight. */
    IDLE,
    /** Writing the new version under staging/ (invisible to systemd). */
    STAGING,
    /** The new version is in the .v/ directory; units may or may not see it yet. */
    ACTIVATING,
    /** The new version failed; moving back to the previous one. */
    ROLLING_BACK,
    /** The bundle is being taken off its units. */
    REMOVING
}
