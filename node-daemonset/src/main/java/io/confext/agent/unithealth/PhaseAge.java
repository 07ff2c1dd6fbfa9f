package io.confext.agent.unithealth;

import io.confext.agent.state.BootTime;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Pure: how long ago a journalled bundle's recorded phase began (Active: the proof), for its health window and its
 * recovery wait. Timed on the host's boot clock, which no one sets: an agent clock that is wrong, or corrected in the
 * window (chrony stepping a clock that came up wrong after boot), neither shortens nor lengthens minReadySeconds.
 * The wall-clock {@code since} is used only where no boot time was recorded with it (a record of an older agent) or it
 * was recorded in another boot; then a since in the future counts as just now.
 */
public final class PhaseAge {
    private PhaseAge() {}

    /**
     * @param since     the record's wall-clock since (what the status shows)
     * @param sinceBoot the boot time recorded with it (null: none)
     * @param nowBoot   the boot clock now (null: unreadable)
     * @return null when neither says when the phase began
     */
    public static Duration of(String since, BootTime sinceBoot, BootTime nowBoot, Instant wallNow) {
        Optional<Duration> onBootClock = nowBoot == null ? Optional.empty() : nowBoot.since(sinceBoot);
        if (onBootClock.isPresent()) {
            return onBootClock.get();
        }
        Instant s = parse(since);
        if (s == null) {
            return null;
        }
        Duration d = Duration.between(s, wallNow);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Instant parse(String since) {
        try {
            return since == null ? null : Instant.parse(since);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
