package io.confext.agent.apply;

import io.confext.agent.disk.DiskGuard;
import io.confext.agent.host.HostFiles;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.state.StateLayout;
import io.confext.agent.trust.LoadedNodePolicy;
import io.confext.agent.trust.NodeGate;
import io.confext.agent.trust.NodeVerdict;
import io.confext.agent.trust.SignatureRequirement;
import io.confext.agent.verify.Policy;
import io.confext.api.revision.RevisionContent;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.HostFacts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * An image bundle's version ready for activation: the kept one checked again, or fetched, verified and staged now;
 * or a refusal, remembered (see {@link RefusedImages}) so that a refused image is not fetched again on every resync.
 */
final class ImageIntake {
    private static final Logger LOG = Logger.getLogger(SystemdHostApplier.class);
    private final HostFiles host;
    private final HostFacts facts;
    private final ApplierSettings settings;
    private final StateLayout layout;
    private final NodeChecks nodeChecks;
    private final LoadedNodePolicy nodePolicy;
    private final RefusedImages refusedImages;
    private final Quarantine quarantine;
    private final PassJournal journal;
    private final StopGuard stop;
    private final ProgressListener progress;
    /** Asked before a download writes its first byte (the free-space margin). */
    private final DiskGuard disk;

    private final AgentMetrics metrics;

    ImageIntake(
            HostFiles host,
            HostFacts facts,
            ApplierSettings settings,
            StateLayout layout,
            NodeChecks nodeChecks,
            LoadedNodePolicy nodePolicy,
            RefusedImages refusedImages,
            Quarantine quarantine,
            PassJournal journal,
            StopGuard stop,
            ProgressListener progress,
            DiskGuard disk,
            AgentMetrics metrics) {
        this.disk = disk;
        this.metrics = metrics;
        this.host = host;
        this.facts = facts;
        this.settings = settings;
        this.layout = layout;
        this.nodeChecks = nodeChecks;
        this.nodePolicy = nodePolicy;
        this.refusedImages = refusedImages;
        this.quarantine = quarantine;
        this.journal = journal;
        this.stop = stop;
        this.progress = progress;
    }

    /**
     * An image bundle's version: already in the .v/ directory (verified when it arrived; read again for the
     * proof, dir null), or fetched and verified now into staging.
     */
    ImageStager.Result image(DesiredBundleContent d, BundleRecord rec, VersionsDirectory dir) {
        RevisionContent c = d.content();
        ImagePolicies.Inputs in;
        SignatureRequirement signature = nodeChecks.signature(c.verification(), nodePolicy);
        var unusable = NodeGate.unusable(nodePolicy);
        if (unusable.isPresent()) { // fail closed before any download
            return new ImageStager.Result.Refused(
                    unusable.get().reason(), unusable.get().message());
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
            if (stale.isEmpty()
                    && NodeChecks.gateImage(nodePolicy, d.name(), c.scope(), kept, in.architecture())
                            instanceof NodeVerdict.Refused r) {
                stale = Optional.of(new ImageStager.Result.Refused(r.reason(), r.message()));
            }
            if (stale.isEmpty()) {
                return new ImageStager.Result.Staged(
                        ImageVersion.read(kept, d.name(), c.version(), in.architecture(), in.trusted(), null),
                        null,
                        null);
            }
            quarantine.put(dir, c.version(), stale.get().reason()); // bounded, crash-safe: see Quarantine
            if (!Reason.Drifted.name().equals(stale.get().reason())) {
                return stale.get();
            }
            // drift: the version is still good, only its copy here changed; fetched and verified again now
            String change = "changed " + versionsHostPath(d, dir) + kept.getFileName() + " ("
                    + stale.get().message() + "; the changed copy is in the quarantine)";
            LOG.warnf("Bundle %s: %s; fetching it again", d.name(), stale.get().message());
            ImageStager.Result again = fetch(d, rec, policy, in, signature);
            return again instanceof ImageStager.Result.Staged st ? st.repairing(change) : again;
        }
        return fetch(d, rec, policy, in, signature);
    }

    private String versionsHostPath(DesiredBundleContent d, VersionsDirectory dir) {
        return d.content().scope() == io.confext.api.v1alpha1.Scope.Host
                ? layout.hostVersionsHostPath(dir.name())
                : layout.serviceVersionsHostPath(d.name());
    }

    /** Fetched and verified into staging, unless the same inputs were refused a moment ago. */
    private ImageStager.Result fetch(
            DesiredBundleContent d,
            BundleRecord rec,
            Policy policy,
            ImagePolicies.Inputs in,
            SignatureRequirement signature) {
        RevisionContent c = d.content();
        RefusedImages.Key key = new RefusedImages.Key(
                d.name(),
                c.version(),
                d.digest(),
                c.source().image().url(),
                c.source().image().sha256(),
                policy);
        var standing = refusedImages.recall(key, Instant.now());
        if (standing.isPresent()) {
            return standingRefusal(standing.get());
        }
        journal.save(rec.withStep(BundleStep.STAGING, c.version()), BundleStep.FETCHING);
        report(
                d,
                BundlePhase.Fetching,
                Reason.Fetching,
                "downloading and verifying version " + c.version() + " from "
                        + c.source().image().url());
        ImageStager.Result result = new ImageStager(settings.images(), metrics)
                .stage(
                        d.name(),
                        c.version(),
                        c.source().image(),
                        policy,
                        in.trusted(),
                        layout.staging(),
                        disk.roomFor("the image of " + d.name() + " " + c.version()));
        if (result instanceof ImageStager.Result.Refused r) {
            // an interrupted download is no refusal to remember
            stop.noVerdictWhileStopping(
                    d.name() + " " + c.version(), "refused (" + r.reason() + ": " + r.message() + ")");
            ImageStager.Result.Refused refusal = NodeChecks.imposed(r, signature);
            return refusedImages
                    .remember(key, refusal, Instant.now())
                    .<ImageStager.Result>map(this::standingRefusal)
                    .orElse(refusal);
        }
        if (result instanceof ImageStager.Result.Staged st
                && NodeChecks.gateImage(
                                nodePolicy, d.name(), c.scope(), st.version().staged(), in.architecture())
                        instanceof NodeVerdict.Refused r) {
            HostFiles.deleteTree(st.dir()); // never reaches the .v/ directory
            return new ImageStager.Result.Refused(r.reason(), r.message());
        }
        if (result instanceof ImageStager.Result.Staged st && st.verdict() != null) {
            report(
                    d,
                    BundlePhase.Verified,
                    Reason.Verified,
                    "version " + c.version() + " verified: "
                            + st.verdict()
                                    .rootHashIfKnown()
                                    .map(h -> "image root hash " + h)
                                    .orElse("image sha256 " + c.source().image().sha256())
                            + (st.verdict().signerFingerprint() == null
                                    ? ", unsigned"
                                    : ", signed by certificate sha256:"
                                            + st.verdict().signerFingerprint())
                            + "; activating");
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
        return new ImageStager.Result.Refused(
                r.refusal().reason(),
                r.refusal().message() + " (checked at " + r.refusedAt() + "; not fetched again before " + r.retryAt()
                        + " unless the revision, the trust or the host changes)");
    }
}
