package io.confext.agent.apply;

import io.confext.agent.healthcheck.HealthChecks;
import io.confext.agent.host.BootClock;
import io.confext.agent.host.HostFiles;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.state.StateLayout;
import io.confext.agent.systemd.Systemd;
import io.confext.agent.unithealth.HealthVerdict;
import io.confext.agent.unithealth.PhaseAge;
import io.confext.agent.unithealth.UnitHealthCheck;
import io.confext.agent.unithealth.UnitHealthRules;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Content proven here before, looked at again: are its units still healthy (and the bundle's own checks passing),
 * and does the directory version and its drop-ins still match the revision (drift, repaired by the pass)?
 */
final class UnitHealthReview {
    private static final Logger LOG = Logger.getLogger(SystemdHostApplier.class);
    private final Systemd sd;
    private final HostFiles host;
    private final long hostPid;
    private final StateLayout layout;
    private final PassJournal journal;
    private final KeptVersions kept;
    private final DropInStore dropIns;
    private final UnitAttacher attacher;
    private final UnitActivator units;
    private final HealthChecks healthChecks;
    private final RollBack rollBack;
    private final StopGuard stop;
    private final AgentMetrics metrics;
    private final BootClock bootClock;

    UnitHealthReview(
            Systemd sd,
            HostFiles host,
            long hostPid,
            StateLayout layout,
            PassJournal journal,
            KeptVersions kept,
            DropInStore dropIns,
            UnitAttacher attacher,
            UnitActivator units,
            HealthChecks healthChecks,
            RollBack rollBack,
            StopGuard stop,
            AgentMetrics metrics,
            BootClock bootClock) {
        this.bootClock = bootClock;
        this.metrics = metrics;
        this.sd = sd;
        this.host = host;
        this.hostPid = hostPid;
        this.layout = layout;
        this.journal = journal;
        this.kept = kept;
        this.dropIns = dropIns;
        this.attacher = attacher;
        this.units = units;
        this.healthChecks = healthChecks;
        this.rollBack = rollBack;
        this.stop = stop;
    }

    /**
     * The same content, proven here before: are its units still healthy (see {@link UnitHealthRules})? A loss inside
     * the health window fails the version (the way back of a failed activation); after it the bundle is Degraded and
     * the host is left alone. Null: carry on with the pass (healthy, recovered, or nothing proven to watch).
     */
    BundleState unitHealth(DesiredBundleContent d, BundleRecord journalled, BundleRecord rec) {
        if (journalled == null || !Objects.equals(journalled.digest(), d.digest())) {
            return null;
        }
        // PIDs this pass proved (a unit restarted for a bundle removed just before) or the journal records
        Function<String, Set<Long>> recorded = UnitHealthCheck.provenIn(journal.state());
        // how long ago the recorded phase began: on the host's boot clock, not on the agent's (settable) wall clock
        BundleRecord.Outcome recordedOutcome = journalled.outcome();
        Duration age = recordedOutcome == null
                ? null
                : PhaseAge.of(recordedOutcome.since(), recordedOutcome.sinceBoot(), bootClock.now(), Instant.now());
        HealthVerdict v = new UnitHealthCheck(sd, host, hostPid)
                .judge(
                        journalled,
                        unit -> {
                            Set<Long> pids = new HashSet<>(recorded.apply(unit));
                            pids.addAll(units.provenPids(unit));
                            return pids;
                        },
                        Duration.ofSeconds(d.minReadySeconds()),
                        age);
        v = healthChecks.judge(v, d, journalled, age); // a failing check of the bundle's own counts as a loss
        BundleRecord.Outcome was = journalled.outcome();
        if (v instanceof HealthVerdict.FailedInWindow f) {
            String failed = was.activeVersion();
            stop.noVerdictWhileStopping(
                    d.name() + " " + failed, "rolled back (" + f.reason() + ": " + f.message() + ")");
            LOG.warnf("Bundle %s: %s; falling back", d.name(), f.message());
            BundleRecord notGood = rec.withGoodVersions(
                    rec.goodVersions().stream().filter(g -> !g.equals(failed)).toList());
            // the way back acts as after a failed restart: a unit left stopped is started with the previous version
            List<UnitOutcome> forward = rec.units().stream()
                    .map(u -> new UnitOutcome(u, false, f.reason(), f.message(), failed, 0, Activation.Action.RESTART))
                    .toList();
            return rollBack.rollBack(
                    notGood,
                    d,
                    kept.versionsOf(d.name(), rec.scope()),
                    failed,
                    new UnitOutcome(f.unit(), false, f.reason(), f.message(), null, 0, Activation.Action.NONE),
                    forward);
        }
        if (v instanceof HealthVerdict.Degraded g) {
            LOG.warnf("Bundle %s degraded: %s", d.name(), g.message());
            List<UnitOutcome> seen = was.units().stream()
                    .map(u -> new UnitOutcome(
                            u.unit(),
                            false,
                            g.reason(),
                            "",
                            u.seesVersion(),
                            g.mainPids().getOrDefault(u.unit(), 0L),
                            Activation.Action.NONE))
                    .toList();
            BundleRecord.Outcome o = BundleStatus.outcome(
                    was, BundlePhase.Degraded, g.reason(), g.message(), was.activeVersion(), seen, bootClock);
            BundleRecord done = rec.withOutcome(o);
            journal.save(done, BundleStep.DEGRADED);
            return BundleStatus.toState(done, o);
        }
        if (v instanceof HealthVerdict.Unchanged && was.phase() == BundlePhase.Degraded) {
            journal.keep(rec);
            return BundleStatus.toState(
                    rec, was); // still Degraded for the same reason: nothing to touch, nothing new to say
        }
        return null;
    }

    /** A directory version already in .v/ compared with its revision, and its units' drop-ins with the journal's. */
    DriftRules.Drift drift(
            DesiredBundleContent d, BundleRecord journalled, BundleDecision.ApplyDirectory a, VersionsDirectory dir) {
        DriftRules.Drift drift = new DriftCheck(dropIns, layout.staging())
                .observe(
                        d,
                        journalled,
                        a.version(),
                        dir,
                        d.content().scope() == io.confext.api.v1alpha1.Scope.Host
                                ? layout.hostVersionsHostPath(dir.name())
                                : layout.serviceVersionsHostPath(d.name()),
                        attacher::expectedDropIn);
        if (drift.found()) {
            metrics.driftRepaired(d.name());
            LOG.warnf(
                    "Bundle %s %s drifted: %s; repairing from the revision",
                    d.name(), d.content().version(), String.join(", ", drift.changes()));
        }
        return drift;
    }

    /** A kept image that changed on the host ({@link ImageIntake} fetched the genuine one again): counted and logged. */
    DriftRules.Drift imageDrift(DesiredBundleContent d, BundleRecord journalled, String change) {
        DriftRules.Drift drift = new DriftRules.Drift(
                List.of(change),
                true,
                DriftRules.wasProven(journalled, d.digest(), d.content().version()));
        metrics.driftRepaired(d.name());
        LOG.warnf(
                "Bundle %s %s drifted: %s; repaired from the source",
                d.name(), d.content().version(), change);
        return drift;
    }

    /** A proven version's drift, repaired by this pass: the status says what changed (reason Drifted). */
    static BundleState drifted(DriftRules.Drift drift, BundleState s) {
        if (drift.found() && drift.proven() && s.getPhase() == BundlePhase.Active) {
            s.setReason(Reason.Drifted.name());
            s.setMessage(DriftRules.message(drift, s.getMessage()));
        }
        return s;
    }
}
