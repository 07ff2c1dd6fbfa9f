package io.confext.api.v1alpha1;

/** Where a health check's command runs: in the namespaces of the unit's main process, or the host's. */
public enum CheckNamespace {
    Unit,
    Host
}
