package io.confext.agent.apply;

import io.confext.agent.host.BootClock;
import io.confext.agent.host.HostFiles;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A way forward that failed no unit: the versions kept (older ones deleted), the proven version's content recorded
 * for a start without the API, and the outcome journalled (PROVEN).
 */
final class SuccessRecorder {
    private final PassJournal journal;
    private final VerifiedManifests verified;
    private final BootClock bootClock;

    SuccessRecorder(PassJournal journal, VerifiedManifests verified, BootClock bootClock) {
        this.bootClock = bootClock;
        this.journal = journal;
        this.verified = verified;
    }

    BundleState succeed(BundleRecord rec, VersionsDirectory dir, StagedVersion staged, List<UnitOutcome> outcomes) {
        List<String> kept = VersionRetention.keep(rec.goodVersions(), staged.version());
        for (String v : VersionRetention.drop(dir.versions(), kept)) {
            for (Path p : dir.entryFiles(v)) {
                HostFiles.deleteTree(p); // older than the kept ones: never what a unit sees
            }
        }
        boolean allProven = outcomes.stream().allMatch(o -> Reason.Proven.name().equals(o.reason()));
        UnitOutcome notProven = outcomes.stream()
                .filter(o -> !Reason.Proven.name().equals(o.reason()))
                .findFirst()
                .orElse(null);
        // not proven but not failed: the unit is stopped, or spec.reload None leaves the restart to someone else
        BundlePhase phase = allProven ? BundlePhase.Active : BundlePhase.Pending;
        String reason = allProven ? Reason.Proven.name() : notProven.reason();
        String message =
                String.join("; ", outcomes.stream().map(UnitOutcome::message).toList());
        if (staged instanceof ImageVersion image) {
            message = image.provenance() + "; " + message;
        }
        String active = outcomes.stream()
                .map(UnitOutcome::seesVersion)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        BundleRecord.Outcome o =
                BundleStatus.outcome(rec.outcome(), phase, reason, message, active, outcomes, bootClock);
        BundleRecord done = (allProven ? rec.withGoodVersions(kept) : rec).withOutcome(o);
        if (allProven) {
            recordVerified(rec.name(), dir, staged, kept);
        }
        journal.save(done, BundleStep.PROVEN);
        return BundleStatus.toState(done, o);
    }

    /**
     * The proven version's content, for a start without the API: from the revision for a directory, from the image
     * verified on this pass (hashed once per version); the bundle's other kept versions keep theirs.
     */
    private void recordVerified(String bundle, VersionsDirectory dir, StagedVersion staged, List<String> kept) {
        StagedVersion v = staged instanceof ShadowedVersion sv ? sv.inner() : staged;
        if (v instanceof DirectoryVersion dv) {
            verified.record(bundle, v.version(), ContentManifest.of(dv));
        } else if (v instanceof ImageVersion
                && verified.load(bundle, v.version()).isEmpty()) {
            verified.record(bundle, v.version(), EntryScanner.scan(dir.entry(v.version())));
        }
        verified.retain(bundle, kept);
    }
}
