package io.confext.agent.apply;

import io.confext.agent.state.BundleRecord;
import io.confext.api.status.Reason;

/**
 * What {@link BundlePlanner} decided for one desired bundle, before anything on the host is touched. The applier acts
 * on it as a list of named steps; each record carries what those steps need.
 */
public sealed interface BundleDecision {

    /**
     * Refuse the bundle: its status becomes Failed with this reason, the host stays as it is (ScopeChange,
     * NoConfextSupport, NoUnits, InvalidBundle, DowngradeRefused).
     */
    record Refuse(String reason, String message) implements BundleDecision {
        public Refuse {
            Reason.require(reason);
        }

        public Refuse(Reason reason, String message) {
            this(reason.name(), message);
        }
    }

    /**
     * The agent was stopped while it rolled {@code failedVersion} back, and the same content is wanted again: finish
     * that rollback (never try the version again under the same content).
     *
     * @param record      the journal record, with the desired fields of this pass
     * @param interrupted the outcome to report as the cause of the rollback
     */
    record FinishRollback(BundleRecord record, String failedVersion, UnitOutcome interrupted)
            implements BundleDecision {}

    /**
     * The agent was stopped while it rolled {@code failedVersion} back, and other content is wanted now: quarantine
     * that version, journal the rollback finished (step rollback-finished), and decide again on the record that leaves.
     *
     * @param failedDigest the digest the failed version was tried under
     */
    record CloseRollback(BundleRecord record, String failedVersion, String failedDigest) implements BundleDecision {}

    /** The same content already failed here and was rolled back: report the recorded outcome, do not try it again. */
    record KeepFailure(BundleRecord record) implements BundleDecision {}

    /** Apply an inline-files bundle: stage {@code version} (already validated), activate, prove, record. */
    record ApplyDirectory(BundleRecord record, DirectoryVersion version) implements BundleDecision {}

    /** Apply an image bundle: fetch and verify (unless its version is in the .v/ directory already), then as above. */
    record ApplyImage(BundleRecord record) implements BundleDecision {}
}
