package io.confext.api.v1alpha1;

/**
 * Phase of one bundle on one node. {@code Degraded}: the version was proven and its health window passed, but a unit
 * has since failed, stopped, restarted or no longer sees it (the agent watches the units it proved); not ready.
 */
public enum BundlePhase {
    Pending,
    Fetching,
    Verified,
    Active,
    Degraded,
    Failed,
    RolledBack,
    Removed
}
