package io.confext.api.v1alpha1;

/** Phase of one bundle on one node. */
public enum BundlePhase {
    Pending, Fetching, Verified, Active, Failed, RolledBack, Removed
}
