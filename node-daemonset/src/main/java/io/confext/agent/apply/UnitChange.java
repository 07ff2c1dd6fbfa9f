package io.confext.agent.apply;

/** How a unit's extension stack changes, judged from what its main process sees now. */
public enum UnitChange {
    /** The unit already sees the wanted version (or, when detaching, no longer sees the bundle). */
    UNCHANGED,
    /**
     * The unit does not see the bundle, and its main process runs without any extension: its mount namespace has no
     * extension stack that a reload could refresh, so only a start gives it one.
     */
    FIRST_ATTACH,
    /**
     * The unit does not see the bundle yet, but its main process already runs with other extensions: systemd (>= 258,
     * with RefreshOnReload=extensions) adds a new {@code ExtensionDirectories=} entry of the drop-in on reload.
     */
    FURTHER_ATTACH,
    /** The unit sees another version of the bundle. */
    NEW_VERSION,
    /** The bundle is taken off the unit, and no other extension stays on it: its stack goes away only at a start. */
    DETACH,
    /** The bundle is taken off the unit while other extensions stay on it: a reload re-stacks the rest. */
    PARTIAL_DETACH,
    /**
     * The unit already sees the wanted version, but the agent was stopped while it activated that version, before it
     * learned the verdict: a failed reload leaves the refreshed mounts behind, so what the unit sees proves nothing.
     */
    UNPROVEN
}
