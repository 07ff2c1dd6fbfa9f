package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.state.StateLayout;
import io.confext.api.revision.RevisionContent;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.version.UapiVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The way forward of a staged version: every unit planned before anything is touched, the version renamed into
 * {@code .v/}, attached, the units reloaded or restarted and proven; then recorded as a success or rolled back.
 */
final class BundleActivation {
    private static final Logger LOG = Logger.getLogger(BundleActivation.class);
    private final StateLayout layout;
    private final ApplierSettings settings;
    private final PassJournal journal;
    private final Quarantine quarantine;
    private final UnitAttacher attacher;
    private final UnitActivator units;
    private final SuccessRecorder success;
    private final RollBack rollBack;
    private final BundleStatus status;
    private final StopGuard stop;
    private final ProgressListener progress;
    private final AgentMetrics metrics;

    BundleActivation(
            StateLayout layout,
            ApplierSettings settings,
            PassJournal journal,
            Quarantine quarantine,
            UnitAttacher attacher,
            UnitActivator units,
            SuccessRecorder success,
            RollBack rollBack,
            BundleStatus status,
            StopGuard stop,
            ProgressListener progress,
            AgentMetrics metrics) {
        this.metrics = metrics;
        this.layout = layout;
        this.settings = settings;
        this.journal = journal;
        this.quarantine = quarantine;
        this.attacher = attacher;
        this.units = units;
        this.success = success;
        this.rollBack = rollBack;
        this.status = status;
        this.stop = stop;
        this.progress = progress;
    }

    BundleState activate(DesiredBundleContent d, BundleRecord rec, VersionsDirectory dir, StagedVersion staged) {
        long started = System.nanoTime();
        RevisionContent c = d.content();
        String name = d.name();
        // journalled ACTIVATING for this version: an earlier pass was stopped before its verdict (see
        // UnitChange.UNPROVEN)
        boolean verdictUnknown =
                rec.step() == BundleStep.ACTIVATING && c.version().equals(rec.pendingVersion());
        // plan every unit before touching anything: a refusal leaves the host exactly as it was
        Map<String, Activation> plans = new LinkedHashMap<>();
        for (String unit : c.units()) {
            Activation a = units.plan(
                    c.scope(),
                    unit,
                    name,
                    attacher.asSeenBy(unit, staged, c.priority(), c.scope()),
                    c.reload(),
                    c.firstAttachOrDefault(),
                    attacher.stackOverlaps(unit, name, staged),
                    false,
                    UnitHistory.lastProven(rec, unit),
                    verdictUnknown);
            if (a.action() == Activation.Action.FAIL) {
                return status.fail(d, a.reason(), a.message());
            }
            plans.put(unit, a);
        }

        boolean staging = staged instanceof ImageVersion image && image.staged() != null;
        if (staging) {
            journal.reached(name, BundleStep.STAGED);
            ((ImageVersion) staged)
                    .moveInto(
                            dir.dir(),
                            settings.images()
                                    .kernelVerity()); // verified here either way; sidecars feed the kernel's check
        } else if (!dir.versions().contains(c.version())) {
            staging = true;
            journal.save(rec.withStep(BundleStep.STAGING, c.version()), BundleStep.STAGING);
            Path tmp = layout.staging().resolve(staged.entryName() + "." + UUID.randomUUID());
            staged.writeTo(tmp);
            journal.reached(name, BundleStep.STAGED);
            HostFiles.renameAtomically(tmp, dir.dir().resolve(staged.entryName()));
        }
        rec = rec.withStep(BundleStep.ACTIVATING, c.version());
        journal.save(rec, BundleStep.RENAMED);
        // entries newer than the wanted one would win the vpick: a rollback target or a leftover of an attempt
        for (String v : dir.versions()) {
            if (UapiVersion.compare(v, c.version()) > 0) {
                quarantine.put(dir, v, "superseded");
            }
        }
        boolean hostChanged = attacher.attach(name, c.scope(), staged);
        journal.reached(name, BundleStep.ATTACHED);
        if (hostChanged && c.scope() == Scope.Service) {
            // the drop-in changed the unit's settings (RefreshOnReload follows its extensions)
            BundleRecord before = rec;
            plans.replaceAll((unit, a) -> units.plan(
                    c.scope(),
                    unit,
                    name,
                    attacher.asSeenBy(unit, staged, c.priority(), c.scope()),
                    c.reload(),
                    c.firstAttachOrDefault(),
                    attacher.stackOverlaps(unit, name, staged),
                    false,
                    UnitHistory.lastProven(before, unit),
                    verdictUnknown));
        }

        List<UnitOutcome> outcomes = new ArrayList<>();
        for (String unit : c.units()) {
            if (Reason.NamespaceSetupAtStart.name().equals(plans.get(unit).reason())) {
                // the one restart a reload cannot replace: said before it happens (the operator makes it an Event)
                report(d, Reason.RestartPlanned, plans.get(unit).message());
            }
            outcomes.add(units.activate(
                    unit, name, attacher.asSeenBy(unit, staged, c.priority(), c.scope()), plans.get(unit)));
        }
        journal.reached(name, BundleStep.ACTIVATED);
        UnitOutcome bad = outcomes.stream().filter(o -> !o.ok()).findFirst().orElse(null);
        // an activation is a pass that changed something for the version; a resync that found it in place is none
        if (staging
                || hostChanged
                || outcomes.stream()
                        .anyMatch(o ->
                                o.action() == Activation.Action.RELOAD || o.action() == Activation.Action.RESTART)) {
            metrics.activated(
                    name,
                    bad == null
                            && outcomes.stream()
                                    .allMatch(o -> Reason.Proven.name().equals(o.reason())),
                    java.time.Duration.ofNanos(System.nanoTime() - started));
        }
        if (bad == null) {
            return success.succeed(rec, dir, staged, outcomes);
        }
        // journalled ACTIVATING: the next start activates and proves this version again, as after a SIGKILL
        stop.noVerdictWhileStopping(
                name + " " + staged.version(), "rolled back (" + bad.reason() + ": " + bad.message() + ")");
        return rollBack.rollBack(rec, d, dir, staged.version(), bad, outcomes);
    }

    private void report(DesiredBundleContent d, Reason reason, String message) {
        try {
            progress.reached(d, BundlePhase.Pending, reason, message);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Reporting %s of bundle %s failed; carrying on", reason, d.name());
        }
    }
}
