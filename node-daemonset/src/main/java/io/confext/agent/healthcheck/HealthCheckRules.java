package io.confext.agent.healthcheck;

import io.confext.agent.unithealth.HealthVerdict;
import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure decisions on a bundle's own health checks ({@code spec.healthChecks}): when a check runs next, what its runs
 * add up to (failureThreshold failures in a row fail it, one pass clears it, like a Kubernetes probe with
 * successThreshold 1), and what a failing check makes of the bundle beside its units' verdict: inside the health
 * window (minReadySeconds after the proof) the version failed here (the agent falls back), after it the bundle is
 * Degraded and the host is left alone. A unit's own loss comes first: it says more than a check that fails because of
 * it.
 */
public final class HealthCheckRules {
    public static final String HEALTH_CHECK_FAILED = Reason.HealthCheckFailed.name();
    /** How much of a run's output a status message carries. */
    static final int TAIL_CHARACTERS = 300;

    private HealthCheckRules() {}

    /** A check that fails now, and what a person reads about it. */
    public record Failure(String check, String unit, String message) {}

    /**
     * The bundle as the journal records it, for {@link #combine}.
     *
     * @param age        how long ago the recorded phase began (Active: the proof), on the host's boot clock
     *                   ({@link io.confext.agent.unithealth.PhaseAge}); null when unknown
     * @param window     the health window, the bundle's minReadySeconds
     * @param unitPids   each unit's main PID as recorded (a Degraded verdict keeps them, so no restart is seen)
     * @param firstUnit  the unit a failure is reported on when the check names none (null: the bundle has none)
     */
    public record Bundle(
            BundlePhase phase,
            String reason,
            Duration age,
            Duration window,
            Map<String, Long> unitPids,
            String firstUnit) {
        public Bundle {
            unitPids = Map.copyOf(unitPids);
        }
    }

    /**
     * Due after periodSeconds; also when the last run seems to lie in the future: the agent's clock was set back, and
     * a check must not pause until the clock catches up with it.
     */
    public static boolean due(ResolvedHealthCheck check, CheckTally tally, Instant now) {
        return tally.lastRun() == null
                || now.isBefore(tally.lastRun())
                || !now.isBefore(tally.lastRun().plusSeconds(check.periodSeconds()));
    }

    public static CheckTally count(CheckTally before, CheckRun run, Instant at) {
        return new CheckTally(run.passed() ? 0 : before.failuresInARow() + 1, run.detail(), at);
    }

    public static boolean failing(ResolvedHealthCheck check, CheckTally tally) {
        return tally.failuresInARow() >= check.failureThreshold();
    }

    /** The first check, in the bundle's order, that has failed failureThreshold times in a row. */
    public static Optional<Failure> firstFailing(List<ResolvedHealthCheck> checks, Map<String, CheckTally> tallies) {
        for (ResolvedHealthCheck c : checks) {
            CheckTally t = tallies.getOrDefault(c.name(), CheckTally.NONE);
            if (failing(c, t)) {
                String unit = c.exec() != null && c.exec().inUnit() ? c.exec().unit() : null;
                return Optional.of(new Failure(
                        c.name(),
                        unit,
                        "health check " + c.name() + " (" + c.describe() + ") failed "
                                + t.failuresInARow() + (t.failuresInARow() == 1 ? " time" : " times in a row") + ": "
                                + tail(t.lastDetail())));
            }
        }
        return Optional.empty();
    }

    /**
     * The bundle's verdict from its units' verdict and its failing check, if any.
     *
     * @param units the verdict of {@link io.confext.agent.unithealth.UnitHealthRules}; NotWatched when the bundle has
     *              no unit to watch (a host-scope bundle): its checks are judged all the same while it is Active or
     *              Degraded
     */
    public static HealthVerdict combine(HealthVerdict units, Optional<Failure> failing, Bundle b) {
        boolean watched = b.phase() == BundlePhase.Active || b.phase() == BundlePhase.Degraded;
        if (failing.isEmpty()
                || !watched
                || units instanceof HealthVerdict.FailedInWindow
                || units instanceof HealthVerdict.Degraded) {
            return units;
        }
        Failure f = failing.get();
        String unit = f.unit() != null ? f.unit() : b.firstUnit() != null ? b.firstUnit() : "";
        if (b.phase() == BundlePhase.Active) {
            boolean inWindow = b.age() != null && b.age().compareTo(b.window()) < 0;
            if (inWindow) {
                return new HealthVerdict.FailedInWindow(
                        unit,
                        HEALTH_CHECK_FAILED,
                        f.message() + ", "
                                + b.age().toSeconds()
                                + "s after the activation, within minReadySeconds ("
                                + b.window().toSeconds() + "s)");
            }
            return new HealthVerdict.Degraded(unit, HEALTH_CHECK_FAILED, f.message(), b.unitPids());
        }
        // Degraded: for this check already, or for a unit that has recovered since (Recovered): the check keeps it so
        if (HEALTH_CHECK_FAILED.equals(b.reason())) {
            return new HealthVerdict.Unchanged();
        }
        if (units instanceof HealthVerdict.Recovered) {
            return new HealthVerdict.Degraded(unit, HEALTH_CHECK_FAILED, f.message(), b.unitPids());
        }
        return units; // Degraded for a unit's reason, unchanged: that reason stands
    }

    /** The end of a run's output, on one line and short enough for a status message. */
    static String tail(String detail) {
        if (detail == null) {
            return "no run yet";
        }
        String oneLine = detail.strip().replaceAll("\\s*\\R\\s*", " | ");
        return oneLine.length() <= TAIL_CHARACTERS
                ? oneLine
                : "..." + oneLine.substring(oneLine.length() - TAIL_CHARACTERS);
    }
}
