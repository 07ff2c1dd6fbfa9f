package io.confext.agent.apply;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.confext.agent.healthcheck.HealthChecks;
import io.confext.agent.host.HostCommands;
import io.confext.agent.host.HostFiles;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.agent.host.HostPaths;
import io.confext.agent.state.AgentState;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.state.HostLock;
import io.confext.agent.state.StateLayout;
import io.confext.agent.state.StateStore;
import io.confext.agent.systemd.DbusSystemd;
import io.confext.agent.systemd.Systemd;
import io.confext.agent.trust.LoadedNodePolicy;
import io.confext.agent.trust.NodeGate;
import io.confext.agent.trust.NodeVerdict;
import io.confext.agent.trust.SignatureRequirement;
import io.confext.agent.unithealth.HealthVerdict;
import io.confext.agent.unithealth.UnitHealthCheck;
import io.confext.agent.unithealth.UnitHealthRules;
import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.Policy;
import io.confext.agent.verify.TrustedCertificates;
import io.confext.api.revision.RevisionContent;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.version.UapiVersion;

/**
 * The host side of the agent for one host PID (1 in production, a test host's leader PID in tests).
 *
 * Per bundle: plan (refuse early, touching nothing) -> stage under staging/ -> rename into the {@code .v/} directory
 * -> drop-in + daemon-reload (service scope) or systemd-confext refresh (host scope) -> reload/restart -> prove on
 * the unit's main process -> keep the last good versions. A failure quarantines the new version and proves the
 * previous one again. Every step boundary is journalled in state.json first, so a SIGKILL anywhere is converged
 * on the next call; a unit can only ever see complete versions because versions appear by rename.
 */
public final class SystemdHostApplier implements HostApplier {
    private static final Logger LOG = Logger.getLogger(SystemdHostApplier.class);
    private final long hostPid;
    private final HostFiles host;
    private final StateLayout layout;
    private final StateStore store;
    private final Supplier<Systemd> systemdFactory;
    private final StepObserver steps;
    private final ApplierSettings settings;
    /** Lives as long as the applier: refused images are not fetched again on every resync. */
    private final RefusedImages refusedImages = new RefusedImages(RefusedImages.DEFAULT_HOLD);
    private final Quarantine quarantine;
    /** The node policy, the signature requirement and the re-check of kept images (io.confext.agent.trust). */
    private final NodeChecks nodeChecks;
    /** The bundles' own health checks (spec.healthChecks), run beside the passes and judged in {@link Run#unitHealth}. */
    private final HealthChecks healthChecks;
    /** The manifests of proven versions: what a start without the API restores from (see {@link LocalRestore}). */
    private final VerifiedManifests verified;
    /** Set by {@link #stopping()}: a failure from now on is an abandonment, not a verdict. */
    private volatile boolean stopping;
    private final AgentMetrics metrics;

    /** The agent's default settings with its state under {@code stateHostDir}. */
    public SystemdHostApplier(long hostPid, String stateHostDir) {
        this(hostPid, ApplierSettings.defaults().withStateHostDir(stateHostDir));
    }

    public SystemdHostApplier(long hostPid, ApplierSettings settings) {
        this(hostPid, settings, StepObserver.NONE);
    }

    /** @param steps told of every step boundary (the crash tests stop the agent there) */
    public SystemdHostApplier(long hostPid, ApplierSettings settings, StepObserver steps) {
        this(hostPid, settings, steps, HealthChecks.none());
    }

    /** @param healthChecks runs the bundles' own health checks; told after each converge which bundles are proven */
    public SystemdHostApplier(long hostPid, ApplierSettings settings, StepObserver steps, HealthChecks healthChecks) {
        this(hostPid, settings, steps, healthChecks, AgentMetrics.none());
    }

    /** @param metrics told of activations, verifications, drift repairs, failures and the versions kept (docs/metrics.md) */
    public SystemdHostApplier(long hostPid, ApplierSettings settings, StepObserver steps, HealthChecks healthChecks,
            AgentMetrics metrics) {
        this.metrics = metrics;
        this.healthChecks = healthChecks;
        this.settings = settings;
        this.hostPid = hostPid;
        this.host = new HostFiles(hostPid);
        this.layout = new StateLayout(host, settings.stateHostDir());
        this.store = new StateStore(layout::stateFile); // checked for planted links at every use
        this.systemdFactory = () -> DbusSystemd.connect(hostPid);
        this.steps = steps;
        this.quarantine = new Quarantine(layout::quarantine);
        this.nodeChecks = new NodeChecks(host, settings.trust());
        this.verified = new VerifiedManifests(layout::verified);
    }

    @Override
    public Map<String, String> restoreFromLocalState() {
        try (HostLock lock = HostLock.acquire(layout.lockFile(), settings.lockWait()); Systemd sd = systemdFactory.get()) {
            HostFacts facts = HostFactsReader.read(sd, host, settings.agentVersion());
            return new LocalRestore(host, hostPid, layout, store.load(), verified, sd, facts, settings, nodeChecks.load())
                    .run().restored();
        }
    }

    @Override
    public HostFacts facts() {
        try (Systemd sd = systemdFactory.get()) {
            return HostFactsReader.read(sd, host, settings.agentVersion());
        }
    }

    @Override
    public List<BundleState> converge(List<DesiredBundleContent> desired) {
        return converge(desired, ProgressListener.NONE);
    }

    @Override
    public List<BundleState> converge(List<DesiredBundleContent> desired, ProgressListener progress) {
        try (HostLock lock = HostLock.acquire(layout.lockFile(), settings.lockWait()); Systemd sd = systemdFactory.get()) {
            HostFacts facts = HostFactsReader.read(sd, host, settings.agentVersion());
            Run run = new Run(sd, facts, progress);
            List<BundleState> states = run.converge(desired);
            healthChecks.track(desired, states);
            metrics.converged(states, desired.stream().map(DesiredBundleContent::name).toList());
            return states;
        } catch (ConvergeAbandoned e) {
            throw e;
        } catch (HostPaths.Refused e) { // a link planted in the state directory: nothing was written, every bundle says why
            return RefusedHostPath.all(desired, e);
        } catch (RuntimeException e) {
            throw abandonedIfStopping("the host could not be converged", e); // e.g. the lock wait interrupted
        }
    }

    @Override
    public void stopping() {
        stopping = true;
    }

    /**
     * Where a failure would become a verdict: while the agent stops, it is an abandonment instead (the stop's interrupt,
     * or a unit that the host's own shutdown stops, says nothing about the version). Returns {@code e} otherwise.
     */
    private RuntimeException abandonedIfStopping(String what, RuntimeException e) {
        if (e instanceof ConvergeAbandoned || !stopping) {
            return e;
        }
        return abandoned(what + ": " + e, e);
    }

    private ConvergeAbandoned abandoned(String why, Throwable cause) {
        LOG.infof("The agent is stopping: abandoned the converge (%s); the next start resumes it from state.json", why);
        return new ConvergeAbandoned("the agent is stopping: " + why, cause);
    }

    /** A failure verdict is about to be recorded: while stopping, abandon instead. */
    private void noVerdictWhileStopping(String bundle, String verdict) {
        if (stopping) {
            throw abandoned(bundle + " would have been " + verdict, null);
        }
    }

    /** Steps after which a bundle's outcome is recorded: nothing is left to abandon. */
    private static final Set<BundleStep> FINAL_STEPS = EnumSet.of(BundleStep.PROVEN, BundleStep.ROLLED_BACK, BundleStep.FAILED,
            BundleStep.REMOVED, BundleStep.DEGRADED);

    /** One converge call: holds the D-Bus connection and the state being rewritten. */
    private final class Run {
        private final Systemd sd;
        private final HostFacts facts;
        private final UnitActivator units;
        private final DropInStore dropIns = new DropInStore(host);
        private final ProgressListener progress;
        private final LoadedNodePolicy nodePolicy = nodeChecks.load();
        private AgentState state;

        Run(Systemd sd, HostFacts facts, ProgressListener progress) {
            this.sd = sd;
            this.facts = facts;
            this.progress = progress;
            this.units = new UnitActivator(sd, new ViewReader(host), facts.getSystemdVersion(), settings.jobTimeout(),
                    settings.proofTimeout());
            this.state = store.load();
        }

        List<BundleState> converge(List<DesiredBundleContent> desired) {
            HostFiles.deleteTree(layout.staging()); // a SIGKILL during staging leaves only this behind
            List<BundleState> out = new ArrayList<>();
            Set<String> wanted = new HashSet<>();
            desired.forEach(d -> wanted.add(d.name()));
            for (String n : quarantine.names()) {
                if (!wanted.contains(n) && !state.bundles().containsKey(n)) {
                    try {
                        quarantine.forget(n); // a bundle no longer managed here, or a flat entry of an older agent
                    } catch (RuntimeException e) {
                        // tried again on the next run; never in the way of the bundles
                    }
                }
            }
            for (BundleRecord rec : List.copyOf(state.bundles().values())) {
                if (!wanted.contains(rec.name())) {
                    out.add(safely(rec.name(), null, () -> remove(rec)));
                }
            }
            desired.stream().sorted(Comparator.comparing(DesiredBundleContent::name))
                    .forEach(d -> out.add(safely(d.name(), d, () -> apply(d))));
            desired.forEach(this::countVersions);
            return out;
        }

        /** The versions a bundle keeps here, for the gauges; a directory that cannot be read is left for the next pass. */
        private void countVersions(DesiredBundleContent d) {
            try {
                metrics.versions(d.name(), versionsOf(d.name(), d.content().scope()).versions().size(),
                        quarantine.held(d.name()).size());
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
                return state(name, d, BundlePhase.Failed, e.reason(), e.getMessage(), null, List.of());
            } catch (RuntimeException e) {
                if (stopping) {
                    throw abandoned(name + ": " + e, e);
                }
                AgentFailure f = AgentFailure.of(e); // a named reason, no class names (see HostIoFailure)
                LOG.warnf(e, "Bundle %s failed: %s", name, f.message());
                return state(name, d, BundlePhase.Failed, f.reason(), f.message(), null, List.of());
            }
        }

        private void save(BundleRecord rec, BundleStep step) {
            state = state.with(rec);
            store.save(state);
            reached(rec.name(), step);
        }

        /**
         * A step boundary, journalled already: the safe point where a converge whose stop interrupted it is given up.
         * Not after a bundle's last step: its work is done and recorded, so it is reported rather than abandoned.
         */
        private void reached(String bundle, BundleStep step) {
            steps.reached(bundle, step);
            if (stopping && Thread.currentThread().isInterrupted() && !FINAL_STEPS.contains(step)) {
                throw abandoned(bundle + " at step " + step.word(), null);
            }
        }

        private VersionsDirectory versionsOf(String bundle, Scope scope) {
            String hostPath = scope == Scope.Host ? layout.hostVersionsHostPath(bundle) : layout.serviceVersionsHostPath(bundle);
            return new VersionsDirectory(layout.agentPath(hostPath), bundle);
        }

        /**
         * Where a bundle's pass writes, checked before it writes anything: its {@code .v/} directory and entries, its
         * quarantine and its units' drop-in directories. A link planted there is refused ({@link HostPaths.Refused}).
         */
        private void checkHostPaths(String bundle, Scope scope, List<String> unitNames) {
            versionsOf(bundle, scope).versions();
            quarantine.bundleDir(bundle);
            if (scope == Scope.Service && unitNames != null) {
                dropIns.check(unitNames);
            }
        }

        // ---------------------------------------------------------------- apply

        /**
         * One bundle's pass as named steps over the planner's decision: finish an interrupted quarantine, decide
         * (touching nothing), then fetch and verify an image, stage, activate, prove and record (see {@link #activate}).
         */
        private BundleState apply(DesiredBundleContent d) {
            BundleRecord journalled = state.bundles().get(d.name());
            checkHostPaths(d.name(), d.content().scope(), d.content().units());
            if (journalled != null && journalled.scope() != null) {
                checkHostPaths(d.name(), journalled.scope(), journalled.units());
            }
            finishInterruptedQuarantine(d, journalled);
            BundleDecision decision = decide(d, journalled);
            if (decision instanceof BundleDecision.CloseRollback close) {
                closeInterruptedRollback(close);
                decision = decide(d, close.record().withFailure(close.failedVersion(), close.failedDigest())
                        .withStep(BundleStep.IDLE, null)); // journalled IDLE now: decided on the other guards
            }
            if (decision instanceof BundleDecision.Refuse r) {
                return fail(d, r.reason(), r.message());
            }
            if (decision instanceof BundleDecision.FinishRollback f) {
                return rollBack(f.record(), d, versionsOf(d.name(), f.record().scope()), f.failedVersion(), f.interrupted(),
                        List.of());
            }
            if (decision instanceof BundleDecision.KeepFailure k) {
                state = state.with(k.record());
                return toState(k.record(), k.record().outcome()); // the same content failed here already
            }
            VersionsDirectory dir = versionsOf(d.name(), d.content().scope());
            DriftRules.Drift drift = decision instanceof BundleDecision.ApplyDirectory a ? drift(d, journalled, a, dir) : null;
            BundleState health = drift != null && drift.found() ? null : unitHealth(d, journalled,
                    decision instanceof BundleDecision.ApplyDirectory a ? a.record() : ((BundleDecision.ApplyImage) decision).record());
            if (health != null) {
                return health;
            }
            if (decision instanceof BundleDecision.ApplyDirectory a) {
                if (NodeChecks.gateFiles(nodePolicy, d.name(), d.content().scope(), a.version()) instanceof NodeVerdict.Refused r) {
                    return fail(d, r.reason(), r.message());
                }
                BundleRecord rec = a.record();
                if (drift.contentDrifted()) { // journalled first: the units are activated and proven again, even after a crash
                    rec = rec.withStep(BundleStep.ACTIVATING, a.version().version());
                    save(rec, BundleStep.STAGING);
                    new DriftCheck(dropIns, layout.staging()).restage(dir, a.version());
                }
                return drifted(drift, activate(d, rec, dir, a.version()));
            }
            BundleRecord rec = ((BundleDecision.ApplyImage) decision).record();
            ImageStager.Result image = image(d, rec, dir);
            if (image instanceof ImageStager.Result.Refused r) {
                return fail(d, r.reason(), r.message());
            }
            ImageStager.Result.Staged st = (ImageStager.Result.Staged) image;
            try {
                return activate(d, rec, dir, st.version());
            } finally {
                if (st.dir() != null) {
                    HostFiles.deleteTree(st.dir()); // empty after the move in; the whole image when the plan refused
                }
            }
        }

        /**
         * The same content, proven here before: are its units still healthy (see {@link UnitHealthRules})? A loss inside
         * the health window fails the version (the way back of a failed activation); after it the bundle is Degraded and
         * the host is left alone. Null: carry on with the pass (healthy, recovered, or nothing proven to watch).
         */
        private BundleState unitHealth(DesiredBundleContent d, BundleRecord journalled, BundleRecord rec) {
            if (journalled == null || !java.util.Objects.equals(journalled.digest(), d.digest())) {
                return null;
            }
            // PIDs this pass proved (a unit restarted for a bundle removed just before) or the journal records
            java.util.function.Function<String, Set<Long>> recorded = UnitHealthCheck.provenIn(state);
            HealthVerdict v = new UnitHealthCheck(sd, host, hostPid).judge(journalled, unit -> {
                        Set<Long> pids = new HashSet<>(recorded.apply(unit));
                        pids.addAll(units.provenPids(unit));
                        return pids;
                    },
                    java.time.Duration.ofSeconds(d.minReadySeconds()), Instant.now());
            v = healthChecks.judge(v, d, journalled, Instant.now()); // a failing check of the bundle's own counts as a loss
            BundleRecord.Outcome was = journalled.outcome();
            if (v instanceof HealthVerdict.FailedInWindow f) {
                String failed = was.activeVersion();
                noVerdictWhileStopping(d.name() + " " + failed, "rolled back (" + f.reason() + ": " + f.message() + ")");
                LOG.warnf("Bundle %s: %s; falling back", d.name(), f.message());
                BundleRecord notGood = rec.withGoodVersions(rec.goodVersions().stream().filter(g -> !g.equals(failed)).toList());
                // the way back acts as after a failed restart: a unit left stopped is started with the previous version
                List<UnitOutcome> forward = rec.units().stream().map(u -> new UnitOutcome(u, false, f.reason(), f.message(),
                        failed, 0, Activation.Action.RESTART)).toList();
                return rollBack(notGood, d, versionsOf(d.name(), rec.scope()), failed,
                        new UnitOutcome(f.unit(), false, f.reason(), f.message(), null, 0, Activation.Action.NONE), forward);
            }
            if (v instanceof HealthVerdict.Degraded g) {
                LOG.warnf("Bundle %s degraded: %s", d.name(), g.message());
                List<UnitOutcome> units = was.units().stream().map(u -> new UnitOutcome(u.unit(), false, g.reason(), "",
                        u.seesVersion(), g.mainPids().getOrDefault(u.unit(), 0L), Activation.Action.NONE)).toList();
                BundleRecord.Outcome o = outcome(was, BundlePhase.Degraded, g.reason(), g.message(), was.activeVersion(), units);
                BundleRecord done = rec.withOutcome(o);
                save(done, BundleStep.DEGRADED);
                return toState(done, o);
            }
            if (v instanceof HealthVerdict.Unchanged && was.phase() == BundlePhase.Degraded) {
                state = state.with(rec);
                return toState(rec, was); // still Degraded for the same reason: nothing to touch, nothing new to say
            }
            return null;
        }

        /** A directory version already in .v/ compared with its revision, and its units' drop-ins with the journal's. */
        private DriftRules.Drift drift(DesiredBundleContent d, BundleRecord journalled, BundleDecision.ApplyDirectory a,
                                       VersionsDirectory dir) {
            DriftRules.Drift drift = new DriftCheck(dropIns, layout.staging()).observe(d, journalled, a.version(), dir,
                    layout.serviceVersionsHostPath(d.name()), this::expectedDropIn);
            if (drift.found()) {
                metrics.driftRepaired(d.name());
                LOG.warnf("Bundle %s %s drifted: %s; repairing from the revision", d.name(), d.content().version(),
                        String.join(", ", drift.changes()));
            }
            return drift;
        }

        /** A proven version's drift, repaired by this pass: the status says what changed (reason Drifted). */
        private BundleState drifted(DriftRules.Drift drift, BundleState s) {
            if (drift.found() && drift.proven() && s.getPhase() == BundlePhase.Active) {
                s.setReason(Reason.Drifted.name());
                s.setMessage(DriftRules.message(drift, s.getMessage()));
            }
            return s;
        }

        /** A quarantine a crash interrupted is finished before anything looks at the versions. */
        private void finishInterruptedQuarantine(DesiredBundleContent d, BundleRecord journalled) {
            Scope scope = journalled != null && journalled.scope() != null ? journalled.scope() : d.content().scope();
            quarantine.recover(versionsOf(d.name(), scope));
        }

        /** The facts the planner needs, gathered here; the decision itself is pure (see {@link BundlePlanner}). */
        private BundleDecision decide(DesiredBundleContent d, BundleRecord journalled) {
            Scope desiredScope = d.content().scope();
            boolean keptInRecordedScope = journalled != null && journalled.scope() != null
                    && journalled.scope() != desiredScope && !versionsOf(d.name(), journalled.scope()).isEmpty();
            return BundlePlanner.decide(new BundlePlanner.Input(d, journalled, keptInRecordedScope,
                    Boolean.TRUE.equals(facts.getConfext()), facts.getSystemdVersion()));
        }

        /** Other content is wanted than the version whose rollback was interrupted: take that version out for good. */
        private void closeInterruptedRollback(BundleDecision.CloseRollback close) {
            BundleRecord rec = close.record();
            quarantine(versionsOf(rec.name(), rec.scope()), close.failedVersion(), Reason.RollbackInterrupted.name());
            save(rec.withFailure(close.failedVersion(), close.failedDigest()).withStep(BundleStep.IDLE, null),
                    BundleStep.ROLLBACK_FINISHED);
        }

        /**
         * An image bundle's version: already in the .v/ directory (verified when it arrived; read again for the
         * proof, dir null), or fetched and verified now into staging.
         */
        private ImageStager.Result image(DesiredBundleContent d, BundleRecord rec, VersionsDirectory dir) {
            RevisionContent c = d.content();
            ImagePolicies.Inputs in;
            SignatureRequirement signature = nodeChecks.signature(c.verification(), nodePolicy);
            var unusable = NodeGate.unusable(nodePolicy);
            if (unusable.isPresent()) { // fail closed before any download
                return new ImageStager.Result.Refused(unusable.get().reason(), unusable.get().message());
            }
            try {
                in = ImagePolicies.inputs(host, facts, c.verification(), signature);
            } catch (ImagePolicies.MissingTrust e) {
                return new ImageStager.Result.Refused(e.reason, e.getMessage());
            } catch (IllegalStateException e) {
                return new ImageStager.Result.Refused(Reason.TrustUnavailable, e.getMessage());
            }
            Policy policy = ImagePolicies.policy(in, c, d.name());
            if (dir.isImage(c.version())) {
                // verified when it arrived, and checked again now: the current revision's sha256, signature
                // requirement and trust, and the node policy, before it is used again
                Path kept = dir.entry(c.version());
                var stale = nodeChecks.recheckStored(kept, c.version(), policy, signature);
                if (stale.isEmpty() && NodeChecks.gateImage(nodePolicy, d.name(), c.scope(), kept, in.architecture())
                        instanceof NodeVerdict.Refused r) {
                    stale = java.util.Optional.of(new ImageStager.Result.Refused(r.reason(), r.message()));
                }
                if (stale.isPresent()) {
                    quarantine(dir, c.version(), stale.get().reason());
                    return stale.get();
                }
                return new ImageStager.Result.Staged(ImageVersion.read(kept, d.name(), c.version(),
                        in.architecture(), in.trusted(), null), null, null);
            }
            RefusedImages.Key key = new RefusedImages.Key(d.name(), c.version(), d.digest(), c.source().image().url(),
                    c.source().image().sha256(), policy);
            var standing = refusedImages.recall(key, Instant.now());
            if (standing.isPresent()) {
                return standingRefusal(standing.get());
            }
            save(rec.withStep(BundleStep.STAGING, c.version()), BundleStep.FETCHING);
            report(d, BundlePhase.Fetching, Reason.Fetching, "downloading and verifying version " + c.version() + " from "
                    + c.source().image().url());
            ImageStager.Result result = new ImageStager(settings.images(), metrics).stage(d.name(), c.version(), c.source().image(), policy,
                    in.trusted(), layout.staging());
            if (result instanceof ImageStager.Result.Refused r) {
                // an interrupted download is no refusal to remember
                noVerdictWhileStopping(d.name() + " " + c.version(), "refused (" + r.reason() + ": " + r.message() + ")");
                ImageStager.Result.Refused refusal = NodeChecks.imposed(r, signature);
                return refusedImages.remember(key, refusal, Instant.now()).<ImageStager.Result>map(this::standingRefusal).orElse(refusal);
            }
            if (result instanceof ImageStager.Result.Staged st && NodeChecks.gateImage(nodePolicy, d.name(), c.scope(),
                    st.version().staged(), in.architecture()) instanceof NodeVerdict.Refused r) {
                HostFiles.deleteTree(st.dir()); // never reaches the .v/ directory
                return new ImageStager.Result.Refused(r.reason(), r.message());
            }
            if (result instanceof ImageStager.Result.Staged st && st.verdict() != null) {
                report(d, BundlePhase.Verified, Reason.Verified, "version " + c.version() + " verified: "
                        + st.verdict().rootHashIfKnown().map(h -> "image root hash " + h).orElse("image sha256 " + c.source().image().sha256())
                        + (st.verdict().signerFingerprint() == null ? ", unsigned"
                        : ", signed by certificate sha256:" + st.verdict().signerFingerprint()) + "; activating");
            }
            return result;
        }

        private void report(DesiredBundleContent d, BundlePhase phase, Reason reason, String message) {
            try {
                progress.reached(d, phase, reason, message);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Reporting %s of bundle %s failed; carrying on", phase, d.name());
            }
        }

        /** The same words on the pass that refused and on every pass the refusal stands, so the status does not churn. */
        private ImageStager.Result.Refused standingRefusal(RefusedImages.Remembered r) {
            return new ImageStager.Result.Refused(r.refusal().reason(), r.refusal().message() + " (checked at " + r.refusedAt()
                    + "; not fetched again before " + r.retryAt() + " unless the revision, the trust or the host changes)");
        }

        private BundleState activate(DesiredBundleContent d, BundleRecord rec, VersionsDirectory dir, StagedVersion staged) {
            long started = System.nanoTime();
            RevisionContent c = d.content();
            String name = d.name();
            // journalled ACTIVATING for this version: an earlier pass was stopped before its verdict (see UnitChange.UNPROVEN)
            boolean verdictUnknown = rec.step() == BundleStep.ACTIVATING && c.version().equals(rec.pendingVersion());
            // plan every unit before touching anything: a refusal leaves the host exactly as it was
            Map<String, Activation> plans = new java.util.LinkedHashMap<>();
            for (String unit : c.units()) {
                Activation a = units.plan(c.scope(), unit, name, asSeenBy(unit, staged, c.priority()), c.reload(), false,
                        lastProven(rec, unit), verdictUnknown);
                if (a.action() == Activation.Action.FAIL) {
                    return fail(d, a.reason(), a.message());
                }
                plans.put(unit, a);
            }

            boolean staging = staged instanceof ImageVersion image && image.staged() != null;
            if (staging) {
                reached(name, BundleStep.STAGED);
                ((ImageVersion) staged).moveInto(dir.dir(), settings.images().kernelVerity()); // verified here either way; sidecars feed the kernel's check
            } else if (!dir.versions().contains(c.version())) {
                staging = true;
                save(rec.withStep(BundleStep.STAGING, c.version()), BundleStep.STAGING);
                Path tmp = layout.staging().resolve(staged.entryName() + "." + UUID.randomUUID());
                staged.writeTo(tmp);
                reached(name, BundleStep.STAGED);
                HostFiles.renameAtomically(tmp, dir.dir().resolve(staged.entryName()));
            }
            rec = rec.withStep(BundleStep.ACTIVATING, c.version());
            save(rec, BundleStep.RENAMED);
            // entries newer than the wanted one would win the vpick: a rollback target or a leftover of an attempt
            for (String v : dir.versions()) {
                if (UapiVersion.compare(v, c.version()) > 0) {
                    quarantine(dir, v, "superseded");
                }
            }
            boolean hostChanged = attach(name, c.scope(), staged);
            reached(name, BundleStep.ATTACHED);
            if (hostChanged && c.scope() == Scope.Service) {
                // the drop-in changed the unit's settings (RefreshOnReload follows its extensions)
                BundleRecord before = rec;
                plans.replaceAll((unit, a) -> units.plan(c.scope(), unit, name, asSeenBy(unit, staged, c.priority()),
                        c.reload(), false, lastProven(before, unit), verdictUnknown));
            }

            List<UnitOutcome> outcomes = new ArrayList<>();
            for (String unit : c.units()) {
                outcomes.add(units.activate(unit, name, asSeenBy(unit, staged, c.priority()), plans.get(unit)));
            }
            reached(name, BundleStep.ACTIVATED);
            UnitOutcome bad = outcomes.stream().filter(o -> !o.ok()).findFirst().orElse(null);
            // an activation is a pass that changed something for the version; a resync that found it in place is none
            if (staging || hostChanged || outcomes.stream().anyMatch(o -> o.action() == Activation.Action.RELOAD
                    || o.action() == Activation.Action.RESTART)) {
                metrics.activated(name, bad == null && outcomes.stream().allMatch(o -> Reason.Proven.name().equals(o.reason())),
                        java.time.Duration.ofNanos(System.nanoTime() - started));
            }
            if (bad == null) {
                return succeed(rec, dir, staged, outcomes);
            }
            // journalled ACTIVATING: the next start activates and proves this version again, as after a SIGKILL
            noVerdictWhileStopping(name + " " + staged.version(), "rolled back (" + bad.reason() + ": " + bad.message() + ")");
            return rollBack(rec, d, dir, staged.version(), bad, outcomes);
        }

        /** The bundle's version the unit was last proven to run with, as recorded (null: none). */
        private String lastProven(BundleRecord rec, String unit) {
            if (rec == null || rec.outcome() == null) {
                return null;
            }
            return rec.outcome().units().stream().filter(u -> u.unit().equals(unit)).map(BundleRecord.UnitView::seesVersion)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }

        /** What the unit ran with after the way forward: what it was proven with then if that acted on it. */
        private String ranWith(BundleRecord rec, String unit, List<UnitOutcome> forward) {
            return forward.stream().filter(f -> f.unit().equals(unit))
                    .filter(f -> f.action() == Activation.Action.RELOAD || f.action() == Activation.Action.RESTART)
                    .findFirst().map(f -> java.util.Optional.ofNullable(f.seesVersion()))
                    .orElseGet(() -> java.util.Optional.ofNullable(lastProven(rec, unit))).orElse(null);
        }

        /** Service scope: rewrite the drop-ins; host scope: re-merge /etc. @return whether the host changed */
        private boolean attach(String bundle, Scope scope, StagedVersion target) {
            if (scope == Scope.Host) {
                linkHostImage(bundle, target);
                SeenVersion hostView = new ViewReader(host).seen(1, bundle, target);
                boolean current = target == null ? hostView.version() == null : hostView.sees(target.version());
                return !current && refreshHostConfexts(bundle);
            }
            return writeDropIns(unitsOf(bundle));
        }

        private Set<String> unitsOf(String bundle) {
            BundleRecord r = state.bundles().get(bundle);
            return r == null ? Set.of() : new LinkedHashSet<>(r.units());
        }

        private boolean writeDropIns(Set<String> unitNames) {
            boolean changed = false;
            for (String unit : unitNames) {
                changed |= dropIns.put(unit, expectedDropIn(unit));
            }
            if (changed) {
                sd.daemonReload();
            }
            return changed;
        }

        /** The unit's drop-in as the journal's service-scope bundles on it make it. */
        private String expectedDropIn(String unit) {
            List<DropIn.Attachment> attached = new ArrayList<>();
            for (BundleRecord r : state.bundles().values()) {
                if (r.scope() == Scope.Service && r.units().contains(unit)) {
                    attachment(r).ifPresent(attached::add);
                }
            }
            return DropIn.render(attached, settings.images().imagePolicy());
        }

        /**
         * systemd-confext (262) ignores {@code .raw} entries in a {@code .v/} directory of its search path, so a
         * host-scope image version is published as the symlink {@code /var/lib/confexts/<bundle>.raw} pointing into
         * the bundle's {@code .v/} (replaced atomically). A systemd that does pick images from {@code .v/} finds the
         * same newest version both ways. Directory versions and removal take the link away.
         */
        private void linkHostImage(String bundle, StagedVersion target) {
            Path link = layout.agentPath(StateLayout.HOST_CONFEXT_DIR + "/" + bundle + ".raw");
            try {
                if (target instanceof ImageVersion || target instanceof ShadowedVersion sv && sv.inner() instanceof ImageVersion) {
                    Path to = Path.of(bundle + ".v", target.entryName());
                    if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(to)) {
                        return;
                    }
                    Path tmp = link.resolveSibling("." + bundle + ".raw.tmp-" + UUID.randomUUID());
                    Files.createSymbolicLink(tmp, to);
                    Files.move(tmp, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    HostFiles.fsyncDirectory(link.getParent());
                } else if (Files.isSymbolicLink(link)) {
                    Files.delete(link);
                    HostFiles.fsyncDirectory(link.getParent());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot point " + link + " at version " + (target == null ? "none"
                        : target.version()) + ": " + e.getMessage(), e);
            }
        }

        /** A service-scope bundle's place in its units' drop-ins, by the kind of its newest version; empty when it has none. */
        private java.util.Optional<DropIn.Attachment> attachment(BundleRecord r) {
            VersionsDirectory v = versionsOf(r.name(), Scope.Service);
            List<String> present = v.versions();
            return present.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(new DropIn.Attachment(r.name(), r.priority(),
                    layout.serviceVersionsHostPath(r.name()), v.isImage(present.get(0))));
        }

        /** A kept version read back from its .v/ directory: a directory tree or a verified image. */
        private StagedVersion loadKept(VersionsDirectory dir, String version) {
            if (dir.isImage(version)) {
                Architecture arch = Architecture.parse(facts.getArchitecture()).orElse(Architecture.ofThisMachine());
                return ImageVersion.read(dir.entry(version), dir.bundle(), version, arch, TrustedCertificates.none(), null);
            }
            return OnDiskVersion.load(dir.entry(version), dir.bundle(), version);
        }

        /** systemd-confext refresh as {@link HostConfextRefresh} runs it. */
        private boolean refreshHostConfexts(String bundle) {
            HostConfextRefresh.run(host, hostPid, facts.getSystemdVersion(), settings.images().imagePolicy(), settings.jobTimeout());
            return true;
        }

        private BundleState succeed(BundleRecord rec, VersionsDirectory dir, StagedVersion staged, List<UnitOutcome> outcomes) {
            List<String> kept = VersionRetention.keep(rec.goodVersions(), staged.version());
            for (String v : VersionRetention.drop(dir.versions(), kept)) {
                for (Path p : dir.entryFiles(v)) {
                    HostFiles.deleteTree(p); // older than the kept ones: never what a unit sees
                }
            }
            boolean allProven = outcomes.stream().allMatch(o -> Reason.Proven.name().equals(o.reason()));
            UnitOutcome notProven = outcomes.stream().filter(o -> !Reason.Proven.name().equals(o.reason())).findFirst().orElse(null);
            // not proven but not failed: the unit is stopped, or spec.reload None leaves the restart to someone else
            BundlePhase phase = allProven ? BundlePhase.Active : BundlePhase.Pending;
            String reason = allProven ? Reason.Proven.name() : notProven.reason();
            String message = String.join("; ", outcomes.stream().map(UnitOutcome::message).toList());
            if (staged instanceof ImageVersion image) {
                message = image.provenance() + "; " + message;
            }
            String active = outcomes.stream().map(UnitOutcome::seesVersion).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
            BundleRecord.Outcome o = outcome(rec.outcome(), phase, reason, message, active, outcomes);
            BundleRecord done = (allProven ? rec.withGoodVersions(kept) : rec).withOutcome(o);
            if (allProven) {
                recordVerified(rec.name(), dir, staged, kept);
            }
            save(done, BundleStep.PROVEN);
            return toState(done, o);
        }

        /**
         * The proven version's content, for a start without the API: from the revision for a directory, from the image
         * verified on this pass (hashed once per version); the bundle's other kept versions keep theirs.
         */
        private void recordVerified(String bundle, VersionsDirectory dir, StagedVersion staged, List<String> kept) {
            StagedVersion v = staged instanceof ShadowedVersion sv ? sv.inner() : staged;
            if (v instanceof DirectoryVersion dv) {
                verified.record(bundle, v.version(), ContentManifest.of(dv));
            } else if (v instanceof ImageVersion && verified.load(bundle, v.version()).isEmpty()) {
                verified.record(bundle, v.version(), EntryScanner.scan(dir.entry(v.version())));
            }
            verified.retain(bundle, kept);
        }

        /**
         * Takes the failed version out (quarantine), attaches the newest version left and proves it. The journal step
         * ROLLING_BACK makes a restarted agent finish this rather than try the failed version again.
         */
        private BundleState rollBack(BundleRecord rec, DesiredBundleContent d, VersionsDirectory dir, String failedVersion,
                                     UnitOutcome bad, List<UnitOutcome> forward) {
            String name = rec.name();
            save(rec.withStep(BundleStep.ROLLING_BACK, failedVersion), BundleStep.ROLLING_BACK);
            quarantine(dir, failedVersion, bad.reason());
            List<String> remaining = dir.versions();
            StagedVersion previous = remaining.isEmpty() ? null : loadKept(dir, remaining.get(0));
            attach(name, rec.scope(), previous);
            List<UnitOutcome> back = new ArrayList<>();
            for (String unit : rec.units()) {
                StagedVersion seenPrevious = asSeenBy(unit, previous, rec.priority());
                Activation a = backAction(rec.scope(), unit, units.plan(rec.scope(), unit, name, seenPrevious, rec.reload(),
                        previous == null, ranWith(rec, unit, forward), false), forward);
                UnitOutcome o = units.activate(unit, name, seenPrevious, a);
                if (!o.ok() && a.action() == Activation.Action.RELOAD) {
                    o = units.activate(unit, name, seenPrevious, new Activation(Activation.Action.RESTART, Reason.Restart,
                            "restart " + unit + " after the reload back failed"));
                }
                back.add(o);
            }
            boolean backOk = back.stream().allMatch(UnitOutcome::ok);
            if (!backOk) {
                noVerdictWhileStopping(name, Reason.RollbackFailed.name()); // journalled ROLLING_BACK: the next start finishes it
            }
            String where = previous == null ? "the bundle was taken off, units see the host's own /etc"
                    : "rolled back to " + previous.version();
            String message = bad.unit() + ": " + bad.message() + "; version " + failedVersion + " quarantined; "
                    + where + ": " + String.join("; ", back.stream().map(UnitOutcome::message).toList());
            BundleRecord.Outcome o = outcome(rec.outcome(), backOk ? BundlePhase.RolledBack : BundlePhase.Failed,
                    backOk ? bad.reason() : Reason.RollbackFailed.name(), message,
                    previous == null ? null : previous.version(), back);
            BundleRecord done = rec.withFailure(failedVersion, d.digest()).withOutcome(o);
            save(done, BundleStep.ROLLED_BACK);
            return toState(done, o);
        }

        /**
         * The files of {@code v} that {@code unit} can see: service-scope bundles stacked above it on the same unit
         * (see {@link DropIn#above}: directories above images, then higher priority, ties the later name) overlay theirs.
         */
        private StagedVersion asSeenBy(String unit, StagedVersion v, int priority) {
            if (v == null) {
                return null;
            }
            Set<String> shadowed = new HashSet<>();
            DropIn.Attachment self = new DropIn.Attachment(v.bundle(), priority, "", v instanceof ImageVersion);
            for (BundleRecord r : state.bundles().values()) {
                if (r.name().equals(v.bundle()) || r.scope() != Scope.Service || !r.units().contains(unit)) {
                    continue;
                }
                var other = attachment(r);
                if (other.isPresent() && DropIn.above(other.get(), self)) {
                    VersionsDirectory od = versionsOf(r.name(), Scope.Service);
                    shadowed.addAll(loadKept(od, od.versions().get(0)).expectedFiles().keySet());
                }
            }
            return ShadowedVersion.of(v, shadowed);
        }

        /**
         * The way back acts where the way forward acted: a unit that a failed restart left stopped is started again,
         * and a host-scope unit that re-read the bad /etc re-reads the restored one.
         */
        private Activation backAction(Scope scope, String unit, Activation planned, List<UnitOutcome> forward) {
            Activation.Action did = forward.stream().filter(f -> f.unit().equals(unit)).map(UnitOutcome::action)
                    .findFirst().orElse(Activation.Action.NONE);
            boolean acted = did == Activation.Action.RELOAD || did == Activation.Action.RESTART;
            if (planned.action() == Activation.Action.FAIL) {
                return new Activation(Activation.Action.RESTART, Reason.Restart, "restart " + unit + " to go back");
            }
            if (planned.action() != Activation.Action.NONE || !acted) {
                return planned;
            }
            if (!units.isActive(unit)) {
                return new Activation(Activation.Action.RESTART, Reason.Restart, "start " + unit + " again with the previous version");
            }
            if (scope == Scope.Host) {
                return new Activation(did, did == Activation.Action.RELOAD ? Reason.Reload : Reason.Restart, did.name().toLowerCase() + " " + unit + " to re-read the restored /etc");
            }
            return planned;
        }

        private void quarantine(VersionsDirectory dir, String version, String why) {
            quarantine.put(dir, version, why); // bounded, crash-safe: see Quarantine
        }

        // ---------------------------------------------------------------- remove

        private BundleState remove(BundleRecord rec) {
            String name = rec.name();
            checkHostPaths(name, rec.scope(), rec.units());
            refusedImages.forget(name);
            save(rec.withStep(BundleStep.REMOVING, null), BundleStep.REMOVING);
            VersionsDirectory dir = versionsOf(name, rec.scope());
            // take the versions out of systemd's sight first (one rename), then re-point drop-ins / re-merge
            Path gone = layout.staging().resolve(name + ".removed." + UUID.randomUUID());
            if (Files.exists(dir.dir())) {
                HostFiles.renameAtomically(dir.dir(), gone);
            }
            if (rec.scope() == Scope.Host) {
                attach(name, Scope.Host, null);
            } else {
                writeDropIns(new LinkedHashSet<>(rec.units()));
            }
            List<UnitOutcome> outs = new ArrayList<>();
            for (String unit : rec.units()) {
                Activation a = units.plan(rec.scope(), unit, name, null, rec.reload(), true, lastProven(rec, unit), false);
                outs.add(units.activate(unit, name, null, a));
            }
            boolean ok = outs.stream().allMatch(UnitOutcome::ok);
            if (!ok) {
                noVerdictWhileStopping(name, Reason.RemovalNotProven.name()); // journalled REMOVING: the next start removes it
            }
            HostFiles.deleteTree(gone);
            quarantine.forget(name);
            verified.retain(name, List.of());
            state = state.without(name);
            store.save(state);
            reached(name, BundleStep.REMOVED);
            BundleRecord.Outcome o = outcome(null, ok ? BundlePhase.Removed : BundlePhase.Failed,
                    ok ? Reason.Removed.name() : Reason.RemovalNotProven.name(),
                    String.join("; ", outs.stream().map(UnitOutcome::message).toList()), null, outs);
            return toState(rec, o);
        }

        // ---------------------------------------------------------------- status

        private BundleState fail(DesiredBundleContent d, String reason, String message) {
            noVerdictWhileStopping(d.name(), "Failed (" + reason + ": " + message + ")");
            BundleRecord rec = state.bundles().get(d.name());
            List<UnitOutcome> seen = new ArrayList<>();
            BundleRecord.Outcome o = outcome(rec == null ? null : rec.outcome(), BundlePhase.Failed, reason, message,
                    rec == null || rec.outcome() == null ? null : rec.outcome().activeVersion(), seen);
            if (rec != null) {
                save(rec.withOutcome(o), BundleStep.FAILED);
            }
            return state(d.name(), d, BundlePhase.Failed, reason, message, o.activeVersion(), List.of());
        }

        private BundleRecord.Outcome outcome(BundleRecord.Outcome previous, BundlePhase phase, String reason, String message,
                                             String active, List<UnitOutcome> outs) {
            String since = previous != null && previous.phase() == phase && java.util.Objects.equals(previous.reason(), reason)
                    ? previous.since() : Instant.now().toString();
            return new BundleRecord.Outcome(phase, reason, message, since, active,
                    outs.stream().map(u -> new BundleRecord.UnitView(u.unit(), u.seesVersion(), u.mainPid())).toList());
        }

        private BundleState toState(BundleRecord rec, BundleRecord.Outcome o) {
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
            s.setUnits(o.units().stream().map(u -> {
                var us = new io.confext.api.v1alpha1.UnitState();
                us.setUnit(u.unit());
                us.setSeesVersion(u.seesVersion());
                us.setMainPid(u.mainPid() > 0 ? u.mainPid() : null);
                return us;
            }).toList());
            return s;
        }

        private BundleState state(String name, DesiredBundleContent d, BundlePhase phase, String reason, String message,
                                  String active, List<UnitOutcome> outs) {
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
}
