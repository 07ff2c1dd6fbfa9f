package io.confext.agent.apply;

import io.confext.agent.systemd.JobResult;
import io.confext.agent.systemd.Systemd;
import io.confext.agent.systemd.SystemdException;
import io.confext.agent.systemd.UnitProperties;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.time.Duration;
import java.time.Instant;

/** Plans, runs and proves the activation of one unit: the I/O around {@link ActivationPlanner}. */
final class UnitActivator {
    private final Systemd systemd;
    private final ViewReader views;
    private final ActivationPlanner planner = new ActivationPlanner();
    private final int systemdVersion;
    private final Duration jobTimeout;
    private final Duration proofTimeout;
    /** Main PIDs this activator proved, by unit: the agent's own restarts, which the unit health check must not blame. */
    private final java.util.Map<String, java.util.Set<Long>> proven = new java.util.HashMap<>();

    UnitActivator(Systemd systemd, ViewReader views, int systemdVersion, Duration jobTimeout, Duration proofTimeout) {
        this.systemd = systemd;
        this.views = views;
        this.systemdVersion = systemdVersion;
        this.jobTimeout = jobTimeout;
        this.proofTimeout = proofTimeout;
    }

    /**
     * What the unit needs so that it ends up seeing {@code target} (null target = must not see the bundle).
     *
     * @param lastProven     the bundle's version the agent last proved the unit to run with (null: none); what a
     *                       {@code Type=oneshot} unit, which has no process to look into, is judged by
     * @param verdictUnknown the agent was stopped while it activated {@code target}: the unit seeing it is no proof
     */
    Activation plan(
            Scope scope,
            String unit,
            String bundle,
            StagedVersion target,
            ReloadMode mode,
            boolean detach,
            String lastProven,
            boolean verdictUnknown) {
        return plan(scope, unit, bundle, target, mode, FirstAttach.Restart, false, detach, lastProven, verdictUnknown);
    }

    /**
     * @param firstAttach   what the bundle asks for when it is the unit's first extension ({@code spec.firstAttach})
     * @param stackOverlaps the unit's bundles, after this change, ship a path in common (see {@link ActivationPlanner.Input})
     */
    Activation plan(
            Scope scope,
            String unit,
            String bundle,
            StagedVersion target,
            ReloadMode mode,
            FirstAttach firstAttach,
            boolean stackOverlaps,
            boolean detach,
            String lastProven,
            boolean verdictUnknown) {
        UnitProperties props = systemd.unit(unit);
        if (props.oneshot()) {
            return OneshotRules.plan(
                    unit,
                    props.active(),
                    OneshotRules.change(lastProven, target == null ? null : target.version(), detach),
                    mode);
        }
        SeenVersion seen = props.mainPid() > 0 ? views.seen(props.mainPid(), bundle, target) : SeenVersion.absent();
        boolean others = props.mainPid() > 0
                && ActivationPlanner.runsWithOtherExtensions(
                        views.extensionNames(props.mainPid()), views.extensionNames(1), bundle);
        UnitChange change = ActivationPlanner.change(
                seen, target == null ? null : target.version(), detach, verdictUnknown, others);
        return planner.plan(new ActivationPlanner.Input(
                scope,
                systemdVersion,
                props.active(),
                props.refreshesExtensionsOnReload(),
                change,
                mode,
                firstAttach,
                stackOverlaps,
                unit));
    }

    boolean isActive(String unit) {
        return systemd.unit(unit).active();
    }

    /** The main PIDs of {@code unit} that this activator proved (any bundle). */
    java.util.Set<Long> provenPids(String unit) {
        return java.util.Set.copyOf(proven.getOrDefault(unit, java.util.Set.of()));
    }

    /**
     * Main PIDs proven before this pass, by unit: those the restore at start found or made see their version (see
     * {@code LocalRestore.Report}).
     */
    void provenBefore(java.util.Map<String, java.util.Set<Long>> pids) {
        pids.forEach((unit, p) ->
                proven.computeIfAbsent(unit, u -> new java.util.HashSet<>()).addAll(p));
    }

    /** Runs the planned job and proves the result. */
    UnitOutcome activate(String unit, String bundle, StagedVersion target, Activation activation) {
        UnitOutcome o = activateAndProve(unit, bundle, target, activation);
        if (o.ok() && o.mainPid() > 0) {
            proven.computeIfAbsent(unit, u -> new java.util.HashSet<>()).add(o.mainPid());
        }
        return o;
    }

    private UnitOutcome activateAndProve(String unit, String bundle, StagedVersion target, Activation activation) {
        if (activation.action() == Activation.Action.FAIL) {
            return new UnitOutcome(
                    unit, false, activation.reason(), activation.message(), null, 0, activation.action());
        }
        long startedUsec = System.currentTimeMillis() * 1000; // a oneshot's new run starts after this
        if (activation.action() == Activation.Action.RELOAD || activation.action() == Activation.Action.RESTART) {
            JobResult job;
            try {
                job = activation.action() == Activation.Action.RELOAD
                        ? systemd.reloadUnit(unit, jobTimeout)
                        : systemd.restartUnit(unit, jobTimeout);
            } catch (SystemdException e) {
                return failed(unit, activation, e.getMessage());
            }
            if (!job.ok()) {
                String hint = "";
                try {
                    if ("start-limit-hit".equals(systemd.unit(unit).lastRun().result())) {
                        hint = "; systemd refused the start by the unit's start rate limit (StartLimitIntervalSec=,"
                                + " StartLimitBurst=), which a unit started again and again hits";
                    }
                } catch (SystemdException e) {
                    // the message stays without the hint
                }
                return failed(
                        unit, activation, job.describe() + hint + " (see journalctl -u " + unit + " on the node)");
            }
        }
        return prove(unit, bundle, target, activation, startedUsec);
    }

    /**
     * A oneshot unit the agent did not run: up to date when its last run, proven with the target before, still stands
     * as a success; otherwise what it will use is not known until it runs again.
     */
    private static UnitOutcome oneshotUntouched(
            String unit, StagedVersion target, Activation activation, UnitProperties props) {
        if (Reason.UpToDate.name().equals(activation.reason()) && target != null) {
            OneshotRules.Proof p = OneshotRules.judge(unit, props.activeState(), props.lastRun(), 0);
            if (p.verdict() == OneshotRules.Verdict.PROVEN) {
                return new UnitOutcome(
                        unit,
                        true,
                        Reason.Proven,
                        p.message() + "; that run was proven with " + target.version(),
                        target.version(),
                        0,
                        activation.action());
            }
            return new UnitOutcome(unit, true, Reason.LastRunNotProven, p.message(), null, 0, activation.action());
        }
        return new UnitOutcome(unit, true, activation.reason(), activation.message(), null, 0, activation.action());
    }

    private UnitOutcome failed(String unit, Activation activation, String message) {
        String reason = activation.action() == Activation.Action.RELOAD
                ? Reason.ReloadFailed.name()
                : Reason.RestartFailed.name();
        return new UnitOutcome(unit, false, reason, message, null, 0, activation.action());
    }

    /**
     * Polls until the unit is active and its main process sees {@code target} (or, with a null target, no longer
     * sees the bundle). Polling, because a Type=simple start job ends at fork, before the mount namespace is ready.
     */
    UnitOutcome prove(String unit, String bundle, StagedVersion target, Activation activation, long startedUsec) {
        Instant deadline = Instant.now().plus(proofTimeout);
        String last = "";
        while (true) {
            UnitProperties props = systemd.unit(unit);
            if (props.oneshot()) {
                if (activation.action() == Activation.Action.NONE) {
                    return oneshotUntouched(unit, target, activation, props);
                }
                OneshotRules.Proof proof = OneshotRules.judge(unit, props.activeState(), props.lastRun(), startedUsec);
                if (proof.verdict() == OneshotRules.Verdict.PROVEN) {
                    return new UnitOutcome(
                            unit,
                            true,
                            Reason.Proven,
                            proof.message(),
                            target == null ? null : target.version(),
                            0,
                            activation.action());
                }
                if (proof.verdict() == OneshotRules.Verdict.FAILED) {
                    return new UnitOutcome(
                            unit,
                            false,
                            Reason.RunFailed,
                            proof.message() + " (see journalctl -u " + unit + " on the node)",
                            null,
                            0,
                            activation.action());
                }
                last = proof.message();
            } else if (!props.active()) {
                if (activation.action() == Activation.Action.NONE) {
                    return new UnitOutcome(
                            unit, true, activation.reason(), activation.message(), null, 0, activation.action());
                }
                last = unit + " is " + props.activeState() + "/" + props.subState();
            } else if (props.mainPid() <= 0) {
                last = unit + " has no main process to check (Type=" + props.type() + ")";
            } else {
                SeenVersion seen = views.seen(props.mainPid(), bundle, target);
                boolean ok = target == null ? seen.version() == null : seen.sees(target.version());
                if (ok || activation.action() == Activation.Action.NONE) {
                    String msg = target == null
                            ? unit + " (pid " + props.mainPid() + ") sees the host's own /etc without " + bundle
                            : unit + " (pid " + props.mainPid() + ") " + seen.detail();
                    // NONE was a decision (spec.reload: None), not a failure: report what the unit sees
                    return new UnitOutcome(
                            unit,
                            true,
                            ok ? Reason.Proven.name() : activation.reason(),
                            ok ? msg : activation.message() + "; " + msg,
                            seen.version(),
                            props.mainPid(),
                            activation.action());
                }
                last = unit + " (pid " + props.mainPid() + ") " + seen.detail()
                        + (target == null ? "" : ", not " + target.version());
            }
            if (Instant.now().isAfter(deadline)) {
                return new UnitOutcome(
                        unit,
                        false,
                        Reason.ProofFailed,
                        "after the " + activation.action().name().toLowerCase() + ": " + last,
                        null,
                        props.mainPid(),
                        activation.action());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new UnitOutcome(unit, false, Reason.ProofFailed, "interrupted", null, 0, activation.action());
            }
        }
    }
}
