package io.confext.agent.apply;

/**
 * One unit after activation and proof.
 *
 * @param ok      the unit is active and its main process sees the wanted state (or no action was possible/allowed
 *                and that is not an error: see {@code reason})
 * @param reason  CamelCase: Proven, UnitInactive, ReloadModeNone, ReloadFailed, RestartFailed, ProofFailed, ...
 */
public record UnitOutcome(String unit, boolean ok, String reason, String message, String seesVersion, long mainPid,
                          Activation.Action action) {
}
