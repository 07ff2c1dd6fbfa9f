package io.confext.api.v1alpha1;

/** What the agent does to a bundle's units after a new version is in place. */
public enum ReloadMode {
    Reload,
    Restart,
    ReloadOrRestart,
    None
}
