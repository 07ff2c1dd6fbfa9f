package io.confext.agent.apply;

/** How a unit's extension stack changes, judged from what its main process sees now. */
public enum UnitChange {
    /** The unit already sees the wanted version (or, when detaching, no longer sees the bundle). */
    UNCHANGED,
    /** The unit does not see the bundle at all yet: its mount namespace predates the drop-in. */
    FIRST_ATTACH,
    /** The unit sees another version of the bundle. */
    NEW_VERSION,
    /** The bundle is taken off the unit. */
    DETACH,
    /**
     * The unit already sees the wanted version, but the agent was stopped while it activated that version, before it
     * learned the verdict: a failed reload leaves the refreshed mounts behind, so what the unit sees proves nothing.
     */
    UNPROVEN
}
