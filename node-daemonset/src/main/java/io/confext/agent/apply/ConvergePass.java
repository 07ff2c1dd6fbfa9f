package io.confext.agent.apply;

import io.confext.agent.disk.DiskRules;
import io.confext.agent.host.HostFiles;
import io.confext.agent.host.HostPaths;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.systemd.Systemd;
import io.confext.agent.trust.LoadedNodePolicy;
import io.confext.agent.trust.NodeVerdict;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.ShadowedPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One converge call: holds the D-Bus connection and the journal being rewritten, removes the bundles no longer
 * wanted and applies each wanted one as named steps over the planner's decision (see {@link #apply}); the work of
 * each step is done by its collaborator.
 */
final class ConvergePass {
    private static final Logger LOG = Logger.getLogger(SystemdHostApplier.class);
    private final ApplierParts parts;
    private final HostFacts facts;
    private final LoadedNodePolicy nodePolicy;
    private final DropInStore dropIns;
    private final PassJournal journal;
    private final KeptVersions kept;
    private final BundleStatus status;
    private final ImageIntake images;
    private final BundleActivation activation;
    private final RollBack rollBack;
    private final BundleRemoval removal;
    private final UnitHealthReview review;
    private final UnitAttacher attacher;
    private final HostExtensionDirs hostDirs;

    /** @param restoredPids main PIDs the restore at start proved, by unit (see {@link LocalRestore.Report}) */
    ConvergePass(
            ApplierParts parts,
            Systemd sd,
            HostFacts facts,
            ProgressListener progress,
            Map<String, Set<Long>> restoredPids) {
        this.parts = parts;
        this.facts = facts;
        this.nodePolicy = parts.nodeChecks().load();
        this.dropIns = new DropInStore(parts.host());
        this.journal = new PassJournal(parts.store(), parts.steps(), parts.stop());
        ApplierSettings settings = parts.settings();
        this.hostDirs = new HostExtensionDirs(
                parts.layout(),
                () -> HostConfextRefresh.run(
                        parts.host(),
                        parts.hostPid(),
                        facts.getSystemdVersion(),
                        settings.images().imagePolicy(),
                        settings.jobTimeout()));
        this.kept = new KeptVersions(parts.layout(), facts, hostDirs);
        this.status = new BundleStatus(journal, parts.stop(), parts.bootClock());
        UnitActivator units = new UnitActivator(
                sd,
                new ViewReader(parts.host()),
                facts.getSystemdVersion(),
                settings.jobTimeout(),
                settings.proofTimeout());
        units.provenBefore(restoredPids);
        this.attacher = new UnitAttacher(
                parts.host(), parts.hostPid(), parts.layout(), settings, facts, sd, dropIns, journal, kept);
        this.images = new ImageIntake(
                parts.host(),
                facts,
                settings,
                parts.layout(),
                parts.nodeChecks(),
                nodePolicy,
                parts.refusedImages(),
                parts.quarantine(),
                journal,
                parts.stop(),
                progress,
                parts.disk(),
                parts.metrics());
        this.rollBack =
                new RollBack(journal, parts.quarantine(), kept, attacher, units, parts.stop(), parts.bootClock());
        this.activation = new BundleActivation(
                parts.layout(),
                settings,
                journal,
                parts.quarantine(),
                attacher,
                units,
                new SuccessRecorder(journal, parts.verified(), parts.bootClock()),
                rollBack,
                status,
                parts.stop(),
                progress,
                parts.metrics());
        this.removal = new BundleRemoval(
                parts.layout(),
                journal,
                kept,
                attacher,
                units,
                parts.quarantine(),
                parts.verified(),
                parts.refusedImages(),
                parts.stop(),
                parts.bootClock());
        this.review = new UnitHealthReview(
                sd,
                parts.host(),
                parts.hostPid(),
                parts.layout(),
                journal,
                kept,
                dropIns,
                attacher,
                units,
                parts.healthChecks(),
                rollBack,
                parts.stop(),
                parts.metrics(),
                parts.bootClock());
    }

    List<BundleState> converge(List<DesiredBundleContent> desired) {
        HostFiles.deleteTree(parts.layout().staging()); // a SIGKILL during staging leaves only this behind
        hostDirs.deleteRetired(); // a rename a crash interrupted: refreshed out of /etc first (see HostExtensionDirs)
        List<BundleState> out = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        desired.forEach(d -> wanted.add(d.name()));
        for (String n : parts.quarantine().names()) {
            if (!wanted.contains(n) && !journal.state().bundles().containsKey(n)) {
                try {
                    parts.quarantine().forget(n); // a bundle no longer managed here, or a flat entry of an older agent
                } catch (RuntimeException e) {
                    // tried again on the next run; never in the way of the bundles
                }
            }
        }
        for (BundleRecord rec : List.copyOf(journal.state().bundles().values())) {
            if (!wanted.contains(rec.name())) {
                out.add(safely(rec.name(), null, () -> {
                    checkHostPaths(rec.name(), rec.scope(), rec.units());
                    return removal.remove(rec);
                }));
            }
        }
        desired.stream()
                .sorted(Comparator.comparing(DesiredBundleContent::name))
                .forEach(d -> out.add(safely(d.name(), d, () -> apply(d))));
        new DiskCap(parts.disk(), parts.settings().disk()).enforce(journal.state(), kept::versionsOf, out);
        reportShadows(out);
        desired.forEach(this::countVersions);
        return out;
    }

    /**
     * Host scope: each proven bundle's paths that a host-scope bundle above it ships too, as the host stacks them at
     * the end of the pass (a bundle applied earlier in the pass is shadowed by one applied after it).
     */
    private void reportShadows(List<BundleState> out) {
        Map<String, List<HostStackOrder.Shadow>> shadows;
        try {
            shadows = HostStackOrder.shadows(attacher.hostLayers());
        } catch (RuntimeException e) {
            LOG.debugf("Not reporting shadowed host paths: %s", e.getMessage());
            return;
        }
        for (BundleState s : out) {
            BundleRecord r = journal.record(s.getName());
            List<HostStackOrder.Shadow> mine = shadows.get(s.getName());
            if (r != null
                    && r.scope() == Scope.Host
                    && mine != null
                    && (s.getPhase() == BundlePhase.Active || s.getPhase() == BundlePhase.Degraded)) {
                s.setShadowed(mine.stream()
                        .map(x -> new ShadowedPath(x.path(), x.by()))
                        .toList());
            }
        }
    }

    /** The versions a bundle keeps here, for the gauges; a directory that cannot be read is left for the next pass. */
    private void countVersions(DesiredBundleContent d) {
        try {
            parts.metrics()
                    .versions(
                            d.name(),
                            kept.versionsOf(d.name(), d.content().scope())
                                    .versions()
                                    .size(),
                            parts.quarantine().held(d.name()).size());
        } catch (RuntimeException e) {
            LOG.debugf("Not counting the versions of bundle %s: %s", d.name(), e.getMessage());
        }
    }

    /** One bundle's failure never stops the others, and never escapes as an exception. */
    private BundleState safely(String name, DesiredBundleContent d, Supplier<BundleState> work) {
        try {
            return work.get();
        } catch (ConvergeAbandoned e) {
            throw e;
        } catch (HostPaths.Refused e) {
            return BundleStatus.state(name, d, BundlePhase.Failed, e.reason(), e.getMessage(), null, List.of());
        } catch (RuntimeException e) {
            if (parts.stop().isStopping()) {
                throw parts.stop().abandoned(name + ": " + e, e);
            }
            AgentFailure f = AgentFailure.of(e); // a named reason, no class names (see HostIoFailure)
            LOG.warnf(e, "Bundle %s failed: %s", name, f.message());
            return BundleStatus.state(name, d, BundlePhase.Failed, f.reason(), f.message(), null, List.of());
        }
    }

    /**
     * One bundle's pass as named steps over the planner's decision: check where it writes, finish an interrupted
     * quarantine, decide (touching nothing), then act on the decision: refuse, finish or close a rollback, keep a
     * failure, or review, stage, activate, prove and record a directory or an image version.
     */
    private BundleState apply(DesiredBundleContent d) {
        BundleRecord journalled = journal.record(d.name());
        checkHostPaths(d.name(), d.content().scope(), d.content().units());
        if (journalled != null && journalled.scope() != null) {
            checkHostPaths(d.name(), journalled.scope(), journalled.units());
        }
        finishInterruptedQuarantine(d, journalled);
        BundleDecision decision = decide(d, journalled);
        if (decision instanceof BundleDecision.CloseRollback close) {
            decision = closeInterruptedRollback(d, close);
        }
        if (decision instanceof BundleDecision.Refuse r) {
            return status.fail(d, r.reason(), r.message());
        }
        if (decision instanceof BundleDecision.FinishRollback f) {
            return rollBack.rollBack(
                    f.record(),
                    d,
                    kept.versionsOf(d.name(), f.record().scope()),
                    f.failedVersion(),
                    f.interrupted(),
                    List.of());
        }
        if (decision instanceof BundleDecision.KeepFailure k) {
            journal.keep(k.record());
            return BundleStatus.toState(k.record(), k.record().outcome()); // the same content failed here already
        }
        if (decision instanceof BundleDecision.ApplyDirectory a) {
            return applyDirectory(d, journalled, a);
        }
        return applyImage(d, journalled, (BundleDecision.ApplyImage) decision);
    }

    /** Drift repaired, or health reviewed; the node's file gate; drifted content re-staged; activated and proven. */
    private BundleState applyDirectory(
            DesiredBundleContent d, BundleRecord journalled, BundleDecision.ApplyDirectory a) {
        VersionsDirectory dir;
        if (d.content().scope() == Scope.Host) { // named by its priority: systemd stacks host extensions by name
            dir = hostDirs.settle(
                    d.name(), HostStackOrder.directoryName(d.name(), d.content().priority()));
            a = new BundleDecision.ApplyDirectory(a.record(), a.version().named(dir.name()));
        } else {
            dir = kept.versionsOf(d.name(), d.content().scope());
        }
        DriftRules.Drift drift = review.drift(d, journalled, a, dir);
        BundleState health = drift.found() ? null : review.unitHealth(d, journalled, a.record());
        if (health != null) {
            return health;
        }
        if (NodeChecks.gateFiles(nodePolicy, d.name(), d.content().scope(), a.version())
                instanceof NodeVerdict.Refused r) {
            return status.fail(d, r.reason(), r.message());
        }
        BundleRecord rec = a.record();
        if ((drift.contentDrifted() || !dir.versions().contains(a.version().version()))
                && parts.disk()
                                .admit(
                                        "version " + a.version().version() + " of " + d.name(),
                                        DiskRules.directoryBytes(
                                                a.version().expectedFiles(),
                                                a.version().extensionRelease()))
                        instanceof DiskRules.Admission.Refuse low) {
            return status.fail(d, low.reason().name(), low.message()); // nothing written: the current version stays
        }
        if (drift.contentDrifted()) { // journalled first: the units are activated and proven again, even after a crash
            rec = rec.withStep(BundleStep.ACTIVATING, a.version().version());
            journal.save(rec, BundleStep.STAGING);
            new DriftCheck(dropIns, parts.layout().staging()).restage(dir, a.version());
            if (d.content().scope() == Scope.Host) {
                // the merged /etc still holds the drifted entry, now deleted, whose cached files may look current for
                // a while (seen on 262: the unit lost the version a pass later): merge the fresh entry now
                attacher.remergeHost();
            }
        }
        return UnitHealthReview.drifted(drift, activation.activate(d, rec, dir, a.version()));
    }

    /** Health reviewed; the image kept or fetched, verified and staged; activated and proven; staging cleaned. */
    private BundleState applyImage(DesiredBundleContent d, BundleRecord journalled, BundleDecision.ApplyImage i) {
        VersionsDirectory dir = d.content().scope() == Scope.Host
                ? hostDirs.settle(d.name(), d.name()) // an image is merged under its own name only
                : kept.versionsOf(d.name(), d.content().scope());
        BundleState health = review.unitHealth(d, journalled, i.record());
        if (health != null) {
            return health;
        }
        BundleRecord rec = i.record();
        ImageStager.Result image = images.image(d, rec, dir);
        if (image instanceof ImageStager.Result.Refused r) {
            return status.fail(d, r.reason(), r.message());
        }
        ImageStager.Result.Staged st = (ImageStager.Result.Staged) image;
        try {
            if (st.drift() == null) {
                return activation.activate(d, rec, dir, st.version());
            }
            // the kept copy changed on the host and was replaced: journalled first, so that its units are activated
            // and proven again with the genuine image, even after a crash
            DriftRules.Drift drift = review.imageDrift(d, journalled, st.drift());
            rec = rec.withStep(BundleStep.ACTIVATING, st.version().version());
            journal.save(rec, BundleStep.STAGING);
            return UnitHealthReview.drifted(drift, activation.activate(d, rec, dir, st.version()));
        } finally {
            if (st.dir() != null) {
                HostFiles.deleteTree(st.dir()); // empty after the move in; the whole image when the plan refused
            }
        }
    }

    /**
     * Where a bundle's pass writes, checked before it writes anything: its {@code .v/} directory and entries, its
     * quarantine and its units' drop-in directories. A link planted there is refused ({@link HostPaths.Refused}).
     */
    private void checkHostPaths(String bundle, Scope scope, List<String> unitNames) {
        kept.versionsOf(bundle, scope).versions();
        parts.quarantine().bundleDir(bundle);
        if (scope == Scope.Service && unitNames != null) {
            dropIns.check(unitNames);
        }
    }

    /** A quarantine a crash interrupted is finished before anything looks at the versions. */
    private void finishInterruptedQuarantine(DesiredBundleContent d, BundleRecord journalled) {
        Scope scope = journalled != null && journalled.scope() != null
                ? journalled.scope()
                : d.content().scope();
        parts.quarantine().recover(kept.versionsOf(d.name(), scope));
    }

    /** The facts the planner needs, gathered here; the decision itself is pure (see {@link BundlePlanner}). */
    private BundleDecision decide(DesiredBundleContent d, BundleRecord journalled) {
        Scope desiredScope = d.content().scope();
        boolean keptInRecordedScope = journalled != null
                && journalled.scope() != null
                && journalled.scope() != desiredScope
                && !kept.versionsOf(d.name(), journalled.scope()).isEmpty();
        return BundlePlanner.decide(new BundlePlanner.Input(
                d,
                journalled,
                keptInRecordedScope,
                Boolean.TRUE.equals(facts.getConfext()),
                facts.getSystemdVersion()));
    }

    /**
     * Other content is wanted than the version whose rollback was interrupted: take that version out for good, then
     * decide again on the record that leaves (journalled IDLE now: decided on the other guards).
     */
    private BundleDecision closeInterruptedRollback(DesiredBundleContent d, BundleDecision.CloseRollback close) {
        BundleRecord rec = close.record();
        parts.quarantine()
                .put(
                        kept.versionsOf(rec.name(), rec.scope()),
                        close.failedVersion(),
                        Reason.RollbackInterrupted.name());
        journal.save(
                rec.withFailure(close.failedVersion(), close.failedDigest()).withStep(BundleStep.IDLE, null),
                BundleStep.ROLLBACK_FINISHED);
        return decide(
                d,
                close.record()
                        .withFailure(close.failedVersion(), close.failedDigest())
                        .withStep(BundleStep.IDLE, null));
    }
}
