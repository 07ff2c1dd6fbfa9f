package io.confext.agent.apply;

import io.confext.agent.host.BootClock;
import io.confext.agent.host.HostFiles;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.state.StateLayout;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * A bundle no longer wanted on this node: its versions taken out of systemd's sight (one rename, journalled
 * REMOVING first), its units re-attached and activated without it, then its files, quarantine and record dropped.
 */
final class BundleRemoval {
    private final StateLayout layout;
    private final PassJournal journal;
    private final KeptVersions kept;
    private final UnitAttacher attacher;
    private final UnitActivator units;
    private final Quarantine quarantine;
    private final VerifiedManifests verified;
    private final RefusedImages refusedImages;
    private final StopGuard stop;
    private final BootClock bootClock;

    BundleRemoval(
            StateLayout layout,
            PassJournal journal,
            KeptVersions kept,
            UnitAttacher attacher,
            UnitActivator units,
            Quarantine quarantine,
            VerifiedManifests verified,
            RefusedImages refusedImages,
            StopGuard stop,
            BootClock bootClock) {
        this.bootClock = bootClock;
        this.layout = layout;
        this.journal = journal;
        this.kept = kept;
        this.attacher = attacher;
        this.units = units;
        this.quarantine = quarantine;
        this.verified = verified;
        this.refusedImages = refusedImages;
        this.stop = stop;
    }

    /** The caller has checked the bundle's host paths (see {@link ConvergePass}). */
    BundleState remove(BundleRecord rec) {
        String name = rec.name();
        refusedImages.forget(name);
        journal.save(rec.withStep(BundleStep.REMOVING, null), BundleStep.REMOVING);
        VersionsDirectory dir = kept.versionsOf(name, rec.scope());
        // take the versions out of systemd's sight first (one rename), then re-point drop-ins / re-merge
        Path gone = layout.staging().resolve(name + ".removed." + UUID.randomUUID());
        if (Files.exists(dir.dir())) {
            HostFiles.renameAtomically(dir.dir(), gone);
        }
        if (rec.scope() == Scope.Host) {
            attacher.attach(name, Scope.Host, null);
        } else {
            attacher.writeDropIns(new LinkedHashSet<>(rec.units()));
        }
        List<UnitOutcome> outs = new ArrayList<>();
        for (String unit : rec.units()) {
            Activation a = units.plan(
                    rec.scope(),
                    unit,
                    name,
                    null,
                    rec.reload(),
                    FirstAttach.Restart,
                    attacher.stackOverlaps(unit, name, null),
                    true,
                    UnitHistory.lastProven(rec, unit),
                    false);
            outs.add(units.activate(unit, name, null, a));
        }
        boolean ok = outs.stream().allMatch(UnitOutcome::ok);
        if (!ok) {
            stop.noVerdictWhileStopping(
                    name, Reason.RemovalNotProven.name()); // journalled REMOVING: the next start removes it
        }
        HostFiles.deleteTree(gone);
        quarantine.forget(name);
        verified.retain(name, List.of());
        journal.removed(name);
        BundleRecord.Outcome o = BundleStatus.outcome(
                null,
                ok ? BundlePhase.Removed : BundlePhase.Failed,
                ok ? Reason.Removed.name() : Reason.RemovalNotProven.name(),
                String.join("; ", outs.stream().map(UnitOutcome::message).toList()),
                null,
                outs,
                bootClock);
        return BundleStatus.toState(rec, o);
    }
}
