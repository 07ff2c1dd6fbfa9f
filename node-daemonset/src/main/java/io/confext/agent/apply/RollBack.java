package io.confext.agent.apply;

import io.confext.agent.host.BootClock;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * The way back of a failed version: it is quarantined, the newest version left is attached, activated and proven.
 * The journal step ROLLING_BACK makes a restarted agent finish this rather than try the failed version again.
 */
final class RollBack {
    private final PassJournal journal;
    private final Quarantine quarantine;
    private final KeptVersions kept;
    private final UnitAttacher attacher;
    private final UnitActivator units;
    private final StopGuard stop;
    private final BootClock bootClock;

    RollBack(
            PassJournal journal,
            Quarantine quarantine,
            KeptVersions kept,
            UnitAttacher attacher,
            UnitActivator units,
            StopGuard stop,
            BootClock bootClock) {
        this.bootClock = bootClock;
        this.journal = journal;
        this.quarantine = quarantine;
        this.kept = kept;
        this.attacher = attacher;
        this.units = units;
        this.stop = stop;
    }

    /** Takes the failed version out (quarantine), attaches the newest version left and proves it. */
    BundleState rollBack(
            BundleRecord rec,
            DesiredBundleContent d,
            VersionsDirectory dir,
            String failedVersion,
            UnitOutcome bad,
            List<UnitOutcome> forward) {
        String name = rec.name();
        journal.save(rec.withStep(BundleStep.ROLLING_BACK, failedVersion), BundleStep.ROLLING_BACK);
        quarantine.put(dir, failedVersion, bad.reason()); // bounded, crash-safe: see Quarantine
        List<String> remaining = dir.versions();
        StagedVersion previous = remaining.isEmpty() ? null : kept.loadKept(dir, remaining.get(0));
        attacher.attach(name, rec.scope(), previous);
        List<UnitOutcome> back = new ArrayList<>();
        for (String unit : rec.units()) {
            StagedVersion seenPrevious = attacher.asSeenBy(unit, previous, rec.priority(), rec.scope());
            Activation a = backAction(
                    rec.scope(),
                    unit,
                    units.plan(
                            rec.scope(),
                            unit,
                            name,
                            seenPrevious,
                            rec.reload(),
                            FirstAttach.Restart,
                            attacher.stackOverlaps(unit, name, previous),
                            previous == null,
                            UnitHistory.ranWith(rec, unit, forward),
                            false),
                    forward);
            UnitOutcome o = units.activate(unit, name, seenPrevious, a);
            if (!o.ok() && a.action() == Activation.Action.RELOAD) {
                o = units.activate(
                        unit,
                        name,
                        seenPrevious,
                        new Activation(
                                Activation.Action.RESTART,
                                Reason.Restart,
                                "restart " + unit + " after the reload back failed"));
            }
            back.add(o);
        }
        boolean backOk = back.stream().allMatch(UnitOutcome::ok);
        if (!backOk) {
            stop.noVerdictWhileStopping(
                    name, Reason.RollbackFailed.name()); // journalled ROLLING_BACK: the next start finishes it
        }
        String where = previous == null
                ? "the bundle was taken off, units see the host's own /etc"
                : "rolled back to " + previous.version();
        String message = bad.unit() + ": " + bad.message() + "; version " + failedVersion + " quarantined; " + where
                + ": "
                + String.join("; ", back.stream().map(UnitOutcome::message).toList());
        BundleRecord.Outcome o = BundleStatus.outcome(
                rec.outcome(),
                backOk ? BundlePhase.RolledBack : BundlePhase.Failed,
                backOk ? bad.reason() : Reason.RollbackFailed.name(),
                message,
                previous == null ? null : previous.version(),
                back,
                bootClock);
        BundleRecord done = rec.withFailure(failedVersion, d.digest()).withOutcome(o);
        journal.save(done, BundleStep.ROLLED_BACK);
        return BundleStatus.toState(done, o);
    }

    /**
     * The way back acts where the way forward acted: a unit that a failed restart left stopped is started again,
     * and a host-scope unit that re-read the bad /etc re-reads the restored one.
     */
    private Activation backAction(Scope scope, String unit, Activation planned, List<UnitOutcome> forward) {
        Activation.Action did = forward.stream()
                .filter(f -> f.unit().equals(unit))
                .map(UnitOutcome::action)
                .findFirst()
                .orElse(Activation.Action.NONE);
        boolean acted = did == Activation.Action.RELOAD || did == Activation.Action.RESTART;
        if (planned.action() == Activation.Action.FAIL) {
            return new Activation(Activation.Action.RESTART, Reason.Restart, "restart " + unit + " to go back");
        }
        if (planned.action() != Activation.Action.NONE || !acted) {
            return planned;
        }
        if (!units.isActive(unit)) {
            return new Activation(
                    Activation.Action.RESTART, Reason.Restart, "start " + unit + " again with the previous version");
        }
        if (scope == Scope.Host) {
            return new Activation(
                    did,
                    did == Activation.Action.RELOAD ? Reason.Reload : Reason.Restart,
                    did.name().toLowerCase() + " " + unit + " to re-read the restored /etc");
        }
        return planned;
    }
}
