package io.confext.agent.healthcheck;

import java.time.Instant;

/**
 * What the runs of one check so far add up to.
 *
 * @param failuresInARow failed runs since the last pass (0 after a pass)
 * @param lastDetail     how the last run ended
 * @param lastRun        when it started
 */
public record CheckTally(int failuresInARow, String lastDetail, Instant lastRun) {
    /** Before the first run. */
    public static final CheckTally NONE = new CheckTally(0, null, null);
}
