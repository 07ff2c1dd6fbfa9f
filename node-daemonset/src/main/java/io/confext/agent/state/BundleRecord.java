package io.confext.agent.state;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.util.List;

/**
 * What the agent remembers of one bundle across restarts.
 *
 * @param goodVersions versions that were proven on this host, newest first (the fallback candidates)
 * @param failedVersion/failedDigest the last version that failed here and was rolled back: the same desired
 *                     content is not tried again (idempotence), a new digest is
 * @param step         the journal entry: what was in flight when this record was written
 * @param pendingVersion the version the step is about
 */
public record BundleRecord(
        String name,
        Scope scope,
        List<String> units,
        int priority,
        ReloadMode reload,
        String revision,
        String digest,
        String desiredVersion,
        List<String> goodVersions,
        String failedVersion,
        String failedDigest,
        BundleStep step,
        String pendingVersion,
        Outcome outcome) {
    public BundleRecord {
        units = units == null ? List.of() : List.copyOf(units);
        goodVersions = goodVersions == null ? List.of() : List.copyOf(goodVersions);
        step = step == null ? BundleStep.IDLE : step;
        if (!step.journalled()) {
            throw new IllegalArgumentException("step " + step + " is a boundary, not a journal entry");
        }
    }

    /**
     * The last reported result, kept so that an unchanged desired set reports the same thing.
     *
     * @param since     when the phase began, on the agent's wall clock (shown in the status, timed by no one but a
     *                  fallback, see {@link io.confext.agent.unithealth.PhaseAge})
     * @param sinceBoot the same moment on the host's boot clock: what the health window is timed from (null in
     *                  records of older agents)
     */
    public record Outcome(
            BundlePhase phase,
            String reason,
            String message,
            String since,
            String activeVersion,
            List<UnitView> units,
            BootTime sinceBoot) {
        public Outcome {
            units = units == null ? List.of() : List.copyOf(units);
        }
    }

    public record UnitView(String unit, String seesVersion, long mainPid) {}

    public BundleRecord withStep(BundleStep newStep, String version) {
        return new BundleRecord(
                name,
                scope,
                units,
                priority,
                reload,
                revision,
                digest,
                desiredVersion,
                goodVersions,
                failedVersion,
                failedDigest,
                newStep,
                version,
                outcome);
    }

    public BundleRecord withOutcome(Outcome o) {
        return new BundleRecord(
                name,
                scope,
                units,
                priority,
                reload,
                revision,
                digest,
                desiredVersion,
                goodVersions,
                failedVersion,
                failedDigest,
                BundleStep.IDLE,
                null,
                o);
    }

    public BundleRecord withGoodVersions(List<String> good) {
        return new BundleRecord(
                name,
                scope,
                units,
                priority,
                reload,
                revision,
                digest,
                desiredVersion,
                good,
                failedVersion,
                failedDigest,
                step,
                pendingVersion,
                outcome);
    }

    public BundleRecord withFailure(String version, String failedDigestValue) {
        return new BundleRecord(
                name,
                scope,
                units,
                priority,
                reload,
                revision,
                digest,
                desiredVersion,
                goodVersions,
                version,
                failedDigestValue,
                step,
                pendingVersion,
                outcome);
    }

    public BundleRecord withDesired(
            Scope s, List<String> u, int p, ReloadMode r, String rev, String dig, String version) {
        return new BundleRecord(
                name,
                s,
                u,
                p,
                r,
                rev,
                dig,
                version,
                goodVersions,
                failedVersion,
                failedDigest,
                step,
                pendingVersion,
                outcome);
    }

    public String newestGood() {
        return goodVersions.isEmpty() ? null : goodVersions.get(0);
    }
}
