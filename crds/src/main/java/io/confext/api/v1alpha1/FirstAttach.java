package io.confext.api.v1alpha1;

/**
 * What the agent does when a bundle is the first extension of a unit that already runs without any: a unit's mount
 * namespace (and so its extension stack) is built when it starts, so only a restart can give it its first extension.
 * Later bundles on the same unit attach by reload where systemd refreshes the unit's extensions on reload.
 */
public enum FirstAttach {
    /** Restart the unit (the default): the agent reports {@code RestartPlanned} before it does. */
    Restart,
    /** Leave the unit running; the node reports {@code WaitingForUnitRestart} until someone else restarts it. */
    WaitForUnitRestart
}
