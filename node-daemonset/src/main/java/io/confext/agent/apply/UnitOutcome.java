package io.confext.agent.apply;

import io.confext.api.status.Reason;

/**
 * One unit after activation and proof.
 *
 * @param ok      the unit is active and its main process sees the wanted state (or no action was possible/allowed
 *                and that is not an error: see {@code reason})
 * @param reason  a catalogue {@link Reason}: Proven, UnitInactive, ReloadModeNone, ReloadFailed, RestartFailed, ...
 */
public record UnitOutcome(
        String unit,
        boolean ok,
        String reason,
        String message,
        String seesVersion,
        long mainPid,
        Activation.Action action) {
    public UnitOutcome {
        Reason.require(reason);
    }

    public UnitOutcome(
            String unit,
            boolean ok,
            Reason reason,
            String message,
            String seesVersion,
            long mainPid,
            Activation.Action action) {
        this(unit, ok, reason.name(), message, seesVersion, mainPid, action);
    }
}
