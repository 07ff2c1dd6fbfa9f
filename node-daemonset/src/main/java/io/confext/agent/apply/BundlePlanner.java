package io.confext.agent.apply;

import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.api.revision.RevisionContent;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.Scope;
import java.util.List;
import java.util.Objects;

/**
 * The guards in front of a bundle's apply, as one pure decision: what the journal says, what the host can do and what
 * the desired content asks for, in the order they are checked. No I/O: the applier gathers the facts
 * ({@link Input}) and acts on the {@link BundleDecision}.
 */
public final class BundlePlanner {
    private BundlePlanner() {}

    /**
     * @param desired             the bundle this pass wants
     * @param journalled          what state.json holds for it (null: never seen on this host)
     * @param keptInRecordedScope the bundle's .v/ directory of its recorded scope holds versions (only asked when
     *                            that scope differs from the desired one)
     * @param confext             the host's systemd supports configuration extensions
     * @param systemdVersion      the host's systemd version (null: unknown), for the message
     */
    public record Input(
            DesiredBundleContent desired,
            BundleRecord journalled,
            boolean keptInRecordedScope,
            boolean confext,
            Integer systemdVersion) {}

    public static BundleDecision decide(Input in) {
        DesiredBundleContent d = in.desired();
        RevisionContent c = d.content();
        String name = d.name();
        BundleRecord rec = in.journalled() != null
                ? in.journalled()
                : new BundleRecord(
                        name,
                        c.scope(),
                        c.units(),
                        c.priority(),
                        c.reload(),
                        d.revision(),
                        d.digest(),
                        c.version(),
                        List.of(),
                        null,
                        null,
                        BundleStep.IDLE,
                        null,
                        null);
        if (rec.scope() != null && rec.scope() != c.scope() && in.keptInRecordedScope()) {
            return new BundleDecision.Refuse(
                    Reason.ScopeChange,
                    "bundle " + name + " is applied with scope " + rec.scope()
                            + " on this node; changing the scope of a bundle in place is not supported: delete and re-create it");
        }
        String journalledDigest = rec.digest();
        rec = rec.withDesired(c.scope(), c.units(), c.priority(), c.reload(), d.revision(), d.digest(), c.version());
        if (rec.step() == BundleStep.ROLLING_BACK && rec.pendingVersion() != null) {
            // The agent was stopped while it rolled a failed version back. That version must never be tried again
            // under the same content, accepted because a unit's mounts already show it, or kept as a fallback.
            String failed = rec.pendingVersion();
            if (failed.equals(c.version()) && Objects.equals(journalledDigest, d.digest())) {
                String unit = rec.units().isEmpty() ? "host" : rec.units().get(0);
                UnitOutcome interrupted = new UnitOutcome(
                        unit,
                        false,
                        Reason.RollbackInterrupted,
                        "the agent was stopped while"
                                + " it rolled version " + failed
                                + " back after its activation failed; the rollback was finished when"
                                + " the agent started again",
                        null,
                        0,
                        Activation.Action.NONE);
                return new BundleDecision.FinishRollback(rec, failed, interrupted);
            }
            return new BundleDecision.CloseRollback(rec, failed, journalledDigest);
        }
        if (!in.confext()) {
            return new BundleDecision.Refuse(
                    Reason.NoConfextSupport,
                    "the host has systemd " + in.systemdVersion() + "; configuration extensions need systemd >= "
                            + HostFactsReader.CONFEXT_SINCE);
        }
        if (c.scope() == Scope.Service && c.units().isEmpty()) {
            return new BundleDecision.Refuse(
                    Reason.NoUnits, "a Service-scope bundle needs at least one unit in spec.units");
        }
        DirectoryVersion directory = null;
        if (c.source().files() != null) {
            try {
                directory = new DirectoryVersion(name, c.version(), c.source().files());
            } catch (IllegalArgumentException e) {
                return new BundleDecision.Refuse(Reason.InvalidBundle, e.getMessage());
            }
        }
        if (c.version().equals(rec.failedVersion())
                && d.digest() != null
                && d.digest().equals(rec.failedDigest())
                && rec.outcome() != null
                && rec.step() == BundleStep.IDLE) {
            return new BundleDecision.KeepFailure(rec);
        }
        var refusal = DowngradeGuard.check(name, c.version(), rec.newestGood(), d.rollback());
        if (refusal.isPresent()) {
            return new BundleDecision.Refuse(Reason.DowngradeRefused, refusal.get());
        }
        return directory != null
                ? new BundleDecision.ApplyDirectory(rec, directory)
                : new BundleDecision.ApplyImage(rec);
    }
}
