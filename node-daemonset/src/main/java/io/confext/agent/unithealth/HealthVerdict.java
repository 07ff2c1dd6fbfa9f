package io.confext.agent.unithealth;

import java.util.Map;

/** What {@link UnitHealthRules} concluded about the units of one proven bundle. */
public sealed interface HealthVerdict {

    /** Not a bundle whose units are watched (not Active or Degraded, a oneshot, another version on the way). */
    record NotWatched() implements HealthVerdict {}

    /** What the status says still holds: Active and healthy, or Degraded for the same reason. */
    record Unchanged() implements HealthVerdict {}

    /**
     * A unit lost its health inside the bundle's health window (minReadySeconds after the activation): the version
     * failed here, the agent falls back to the last good one.
     */
    record FailedInWindow(String unit, String reason, String message) implements HealthVerdict {}

    /**
     * A unit lost its health after the window (or changed again while Degraded): report Degraded, touch nothing.
     *
     * @param mainPids each unit's main PID as observed now (0: none), recorded so that a further change is seen
     */
    record Degraded(String unit, String reason, String message, Map<String, Long> mainPids) implements HealthVerdict {
        public Degraded {
            mainPids = Map.copyOf(mainPids);
        }
    }

    /** A Degraded bundle's units have been healthy long enough: prove them again and report Active. */
    record Recovered() implements HealthVerdict {}
}
