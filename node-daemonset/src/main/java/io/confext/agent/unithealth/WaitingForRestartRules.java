package io.confext.agent.unithealth;

import io.confext.agent.state.BundleRecord;
import io.confext.api.status.Reason;
import java.util.Map;

/**
 * Pure decision for a bundle that waits for someone else to restart its units ({@code spec.firstAttach:
 * WaitForUnitRestart}, reason {@link Reason#WaitingForUnitRestart}): as soon as a unit runs with another main
 * process than the one recorded while waiting, the new process may see the bundle and a pass should prove it.
 */
public final class WaitingForRestartRules {
    private WaitingForRestartRules() {}

    /**
     * @param mainPids each unit's main PID now (0: none; a unit missing from the map was not looked at)
     * @return the outcome waits for a unit restart and one of its units restarted (or started) since it was recorded
     */
    public static boolean restarted(BundleRecord.Outcome outcome, Map<String, Long> mainPids) {
        if (outcome == null || !Reason.WaitingForUnitRestart.name().equals(outcome.reason())) {
            return false;
        }
        return outcome.units().stream().anyMatch(u -> {
            Long now = mainPids.get(u.unit());
            return now != null && now > 0 && now != u.mainPid();
        });
    }
}
