package io.confext.agent.unithealth;

import io.confext.api.v1alpha1.BundlePhase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure decision: does a bundle whose units were proven still have healthy units, and what does the status say then?
 * A unit is healthy while it is active, runs the main process it was proven with, and that process sees the version.
 * Inside the health window (minReadySeconds from the proof) a loss fails the version (the caller falls back); after
 * it, the bundle is Degraded until its units have been healthy again for {@link #recoveryWait} without a change.
 * Oneshot units have no process to watch and are left out.
 */
public final class UnitHealthRules {
    /**
     * The least time a Degraded bundle's units must stay healthy before it is Active again, so that a unit restarted in a
     * loop does not flip the status back and forth between two looks.
     */
    public static final Duration RECOVERY_AT_LEAST = Duration.ofSeconds(10);

    public static final String UNIT_FAILED = io.confext.api.status.Reason.UnitFailed.name();
    public static final String UNIT_STOPPED = io.confext.api.status.Reason.UnitStopped.name();
    public static final String UNIT_RESTARTED = io.confext.api.status.Reason.UnitRestarted.name();
    public static final String UNIT_NO_LONGER_SEES = io.confext.api.status.Reason.UnitNoLongerSees.name();
    /**
     * What a unit "sees" when its extension-release names no VERSION (an image built elsewhere: the proof identified
     * it by its exact extension-release against the staged copy). The bundle is attached, its version cannot be read
     * back here: only its presence is judged.
     */
    public static final String UNNAMED_VERSION = "?";

    private UnitHealthRules() {}

    /**
     * A unit as the status recorded it: the main PID it was proven (or, while Degraded, last seen) with; 0: none.
     *
     * @param provenByAgent main PIDs of this unit that the agent itself proved for any bundle (it restarts a unit for
     *                      one bundle, and the others' records still name the old PID): no sign of a restart
     */
    public record Recorded(String unit, long mainPid, java.util.Set<Long> provenByAgent) {
        public Recorded {
            provenByAgent = java.util.Set.copyOf(provenByAgent);
        }

        public Recorded(String unit, long mainPid) {
            this(unit, mainPid, java.util.Set.of());
        }
    }

    /**
     * A unit as systemd and its main process show it now.
     *
     * @param result       the service's {@code Result} ("success", "exit-code", "signal", "core-dump", ...)
     * @param exitStatus   {@code ExecMainStatus}: the exit status, or the signal number when killed by one
     * @param seesVersion  the bundle version in the extension-release its main process sees (null: none)
     */
    public record Observed(
            String unit,
            String activeState,
            String subState,
            long mainPid,
            String result,
            int exitStatus,
            String seesVersion,
            boolean oneshot) {}

    /**
     * @param phase    the bundle's recorded phase
     * @param reason   the bundle's recorded reason (for a Degraded bundle: what it is Degraded for)
     * @param version  the version the units were proven with
     * @param age      how long ago the recorded phase began (Active: the proof; Degraded: the last change), on the
     *                 host's boot clock ({@link PhaseAge}); null: unknown
     * @param window   the health window, the bundle's minReadySeconds
     */
    public record Input(
            BundlePhase phase,
            String reason,
            String version,
            Duration age,
            Duration window,
            List<Recorded> recorded,
            List<Observed> observed) {
        public Input {
            recorded = List.copyOf(recorded);
            observed = List.copyOf(observed);
        }
    }

    /** A unit that lost its health: the reason and what a person reads. */
    record Problem(String unit, String reason, String message) {}

    public static Duration recoveryWait(Duration window) {
        return window.compareTo(RECOVERY_AT_LEAST) > 0 ? window : RECOVERY_AT_LEAST;
    }

    public static HealthVerdict judge(Input in) {
        if (in.phase() != BundlePhase.Active && in.phase() != BundlePhase.Degraded || in.version() == null) {
            return new HealthVerdict.NotWatched();
        }
        Map<String, Long> recordedPids = new LinkedHashMap<>();
        Map<String, java.util.Set<Long>> agentPids = new LinkedHashMap<>();
        in.recorded().forEach(r -> {
            recordedPids.put(r.unit(), r.mainPid());
            agentPids.put(r.unit(), r.provenByAgent());
        });
        Map<String, Long> nowPids = new LinkedHashMap<>();
        Problem problem = null;
        boolean pidsChanged = false;
        for (Observed o : in.observed()) {
            if (o.oneshot()) {
                continue;
            }
            long recordedPid = recordedPids.getOrDefault(o.unit(), 0L);
            // a main PID the agent proved itself (restarting the unit for another bundle) counts as the recorded one
            long was = agentPids.getOrDefault(o.unit(), java.util.Set.of()).contains(o.mainPid())
                    ? o.mainPid()
                    : recordedPid;
            nowPids.put(o.unit(), o.mainPid());
            pidsChanged |= o.mainPid() != was;
            if (problem == null) {
                problem = problemOf(o, was, in.version(), in.phase() == BundlePhase.Active)
                        .orElse(null);
            }
        }
        if (nowPids.isEmpty()) {
            return new HealthVerdict.NotWatched(); // only oneshot units: nothing runs to be watched
        }
        if (in.phase() == BundlePhase.Active) {
            if (problem == null) {
                return new HealthVerdict.Unchanged();
            }
            boolean inWindow = in.age() != null && in.age().compareTo(in.window()) < 0;
            if (inWindow) {
                return new HealthVerdict.FailedInWindow(
                        problem.unit(),
                        problem.reason(),
                        problem.message() + ", " + ago(in) + " after the activation, within minReadySeconds ("
                                + in.window().toSeconds() + "s)");
            }
            return new HealthVerdict.Degraded(problem.unit(), problem.reason(), problem.message(), nowPids);
        }
        // Degraded: a further change is reported; healthy and unchanged for the recovery wait is Active again
        if (problem != null) {
            if (problem.reason().equals(in.reason()) && !pidsChanged) {
                return new HealthVerdict.Unchanged();
            }
            return new HealthVerdict.Degraded(problem.unit(), problem.reason(), problem.message(), nowPids);
        }
        if (pidsChanged) {
            String unit = in.observed().stream()
                    .filter(o -> !o.oneshot() && o.mainPid() != recordedPids.getOrDefault(o.unit(), 0L))
                    .map(Observed::unit)
                    .findFirst()
                    .orElseThrow();
            long pid = nowPids.get(unit);
            return new HealthVerdict.Degraded(
                    unit,
                    UNIT_RESTARTED,
                    unit + " runs again as pid " + pid + " and sees " + in.version()
                            + "; Active again once it has run so for "
                            + recoveryWait(in.window()).toSeconds() + "s",
                    nowPids);
        }
        Duration wait = recoveryWait(in.window());
        if (in.age() == null || in.age().compareTo(wait) >= 0) {
            return new HealthVerdict.Recovered();
        }
        return new HealthVerdict.Unchanged();
    }

    /**
     * @param wasPid         the main PID recorded for the unit
     * @param restartMatters whether another main PID is a loss (Active: yes; Degraded: the restart is how it recovers)
     */
    static Optional<Problem> problemOf(Observed o, long wasPid, String version, boolean restartMatters) {
        String unit = o.unit();
        boolean active = "active".equals(o.activeState())
                || "reloading".equals(o.activeState())
                || "refreshing".equals(o.activeState());
        if (!active) {
            boolean failed = "failed".equals(o.activeState())
                    || "auto-restart".equals(o.subState())
                    || o.result() != null && !o.result().isEmpty() && !"success".equals(o.result());
            return Optional.of(new Problem(
                    unit,
                    failed ? UNIT_FAILED : UNIT_STOPPED,
                    unit + " is " + o.activeState() + "/" + o.subState()
                            + (failed ? ": " + howItEnded(o) : " (stopped, not by the agent)")));
        }
        if (o.mainPid() <= 0) {
            return Optional.empty(); // active without a main process to look into (yet): nothing to judge
        }
        if (restartMatters && wasPid > 0 && o.mainPid() != wasPid) {
            return Optional.of(new Problem(
                    unit,
                    UNIT_RESTARTED,
                    unit + " was restarted: it runs as pid " + o.mainPid()
                            + ", not pid " + wasPid + " that was proven to see " + version + " (it sees "
                            + (o.seesVersion() == null ? "no version" : o.seesVersion()) + ")"));
        }
        if (UNNAMED_VERSION.equals(o.seesVersion())) {
            return Optional.empty();
        }
        if (!Objects.equals(o.seesVersion(), version)) {
            return Optional.of(new Problem(
                    unit,
                    UNIT_NO_LONGER_SEES,
                    unit + " (pid " + o.mainPid() + ") no longer sees " + version + ": it sees "
                            + (o.seesVersion() == null ? "no version of the bundle" : o.seesVersion())));
        }
        return Optional.empty();
    }

    /** The last main process's end in words: "killed by signal 9 (KILL)", "exited with status 3". */
    static String howItEnded(Observed o) {
        String result = o.result() == null || o.result().isEmpty() ? "unknown" : o.result();
        return switch (result) {
            case "signal", "core-dump" ->
                "its main process was killed by signal " + o.exitStatus() + signalName(o.exitStatus())
                        + ("core-dump".equals(result) ? " and dumped core" : "");
            case "exit-code" -> "its main process exited with status " + o.exitStatus();
            default -> "Result=" + result + ", last exit status " + o.exitStatus();
        };
    }

    private static String signalName(int signal) {
        String name = switch (signal) {
            case 1 -> "HUP";
            case 2 -> "INT";
            case 6 -> "ABRT";
            case 9 -> "KILL";
            case 11 -> "SEGV";
            case 15 -> "TERM";
            default -> null;
        };
        return name == null ? "" : " (" + name + ")";
    }

    private static String ago(Input in) {
        return in.age() == null ? "" : in.age().toSeconds() + "s";
    }
}
