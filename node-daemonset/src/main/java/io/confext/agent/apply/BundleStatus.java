package io.confext.agent.apply;

import io.confext.agent.host.BootClock;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.UnitState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A bundle's outcome as the journal records it and as the node's status reports it; and a refusal recorded as Failed. */
final class BundleStatus {
    private final PassJournal journal;
    private final StopGuard stop;
    private final BootClock bootClock;

    BundleStatus(PassJournal journal, StopGuard stop, BootClock bootClock) {
        this.journal = journal;
        this.stop = stop;
        this.bootClock = bootClock;
    }

    /** The bundle failed before it touched its units: the active version stays what it was. */
    BundleState fail(DesiredBundleContent d, String reason, String message) {
        stop.noVerdictWhileStopping(d.name(), "Failed (" + reason + ": " + message + ")");
        BundleRecord rec = journal.record(d.name());
        List<UnitOutcome> seen = new ArrayList<>();
        BundleRecord.Outcome o = outcome(
                rec == null ? null : rec.outcome(),
                BundlePhase.Failed,
                reason,
                message,
                rec == null || rec.outcome() == null ? null : rec.outcome().activeVersion(),
                seen,
                bootClock);
        if (rec != null) {
            journal.save(rec.withOutcome(o), BundleStep.FAILED);
        }
        return state(d.name(), d, BundlePhase.Failed, reason, message, o.activeVersion(), List.of());
    }

    /**
     * The same phase for the same reason keeps its {@code since}: the status does not churn. A new one is stamped on
     * both clocks: the wall clock for the status, the host's boot clock for the health window ({@code bootClock}).
     */
    static BundleRecord.Outcome outcome(
            BundleRecord.Outcome previous,
            BundlePhase phase,
            String reason,
            String message,
            String active,
            List<UnitOutcome> outs,
            BootClock bootClock) {
        boolean same = previous != null && previous.phase() == phase && Objects.equals(previous.reason(), reason);
        return new BundleRecord.Outcome(
                phase,
                reason,
                message,
                same ? previous.since() : Instant.now().toString(),
                active,
                outs.stream()
                        .map(u -> new BundleRecord.UnitView(u.unit(), u.seesVersion(), u.mainPid()))
                        .toList(),
                same ? previous.sinceBoot() : bootClock.now());
    }

    static BundleState toState(BundleRecord rec, BundleRecord.Outcome o) {
        BundleState s = new BundleState();
        s.setName(rec.name());
        s.setRevision(rec.revision());
        s.setDigest(rec.digest());
        s.setDesiredVersion(rec.desiredVersion());
        s.setActiveVersion(o.activeVersion());
        s.setPhase(o.phase());
        s.setReason(o.reason());
        s.setMessage(o.message());
        s.setSince(o.since());
        s.setUnits(o.units().stream()
                .map(u -> {
                    var us = new UnitState();
                    us.setUnit(u.unit());
                    us.setSeesVersion(u.seesVersion());
                    us.setMainPid(u.mainPid() > 0 ? u.mainPid() : null);
                    return us;
                })
                .toList());
        return s;
    }

    static BundleState state(
            String name,
            DesiredBundleContent d,
            BundlePhase phase,
            String reason,
            String message,
            String active,
            List<UnitOutcome> outs) {
        BundleState s = new BundleState();
        s.setName(name);
        if (d != null) {
            s.setRevision(d.revision());
            s.setDigest(d.digest());
            s.setDesiredVersion(d.content().version());
        }
        s.setActiveVersion(active);
        s.setPhase(phase);
        s.setReason(reason);
        s.setMessage(message);
        s.setSince(Instant.now().toString());
        s.setUnits(List.of());
        return s;
    }
}
