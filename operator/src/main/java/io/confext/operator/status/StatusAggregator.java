package io.confext.operator.status;

import io.confext.api.status.Conditions;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.NodeFailure;
import io.confext.api.v1alpha1.NotEligibleNode;
import io.confext.api.v1alpha1.VersionHistoryEntry;
import io.confext.operator.rollout.Direction;
import io.confext.operator.rollout.FailureFact;
import io.confext.operator.rollout.RevisionTarget;
import io.confext.operator.rollout.RolloutPlan;
import io.confext.operator.rollout.RolloutState;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a rollout plan into the bundle's status. Pure. The size is bounded whatever the fleet
 * size: counts instead of node lists, at most {@value #MAX_FAILURES} failures and
 * {@value #MAX_HISTORY} history entries, messages that name at most a few nodes.
 */
public final class StatusAggregator {
    public static final int MAX_FAILURES = 10;
    public static final int MAX_HISTORY = 10;
    static final int MAX_MESSAGE = 512;

    public ConfextBundleStatus aggregate(StatusInput in) {
        RolloutPlan plan = in.plan();
        RevisionTarget target = in.target();
        ConfextBundleStatus prev = in.previous() == null ? new ConfextBundleStatus() : in.previous();
        ConfextBundleStatus s = new ConfextBundleStatus();
        s.setObservedGeneration(in.generation());
        s.setTargetVersion(target.version());
        s.setTargetRevision(target.name());
        s.setTargeted(plan.targeted());
        s.setUpdated(plan.updated());
        s.setReady(plan.ready());
        s.setFailed(plan.failed());
        s.setFailures(failures(plan.failures()));
        s.setNotEligible(
                plan.notEligible().isEmpty() ? null : plan.notEligible().size());
        s.setNotEligibleNodes(notEligible(plan));

        RevisionTarget current = plan.complete() ? target : in.stable();
        s.setCurrentVersion(current == null ? null : current.version());
        s.setCurrentRevision(current == null ? null : current.name());
        // A completion of a marked target, and the end of an onFailure rollback, are rollbacks in the history.
        RevisionTarget completed =
                plan.complete() ? target : plan.state() == RolloutState.ROLLED_BACK ? in.stable() : null;
        boolean rollback = plan.complete() ? in.direction().marksRollback() : completed != null;
        s.setHistory(history(prev.getHistory(), completed, rollback, in));
        s.setConditions(conditions(in, current).build());
        return s;
    }

    private static List<NodeFailure> failures(List<FailureFact> facts) {
        List<NodeFailure> out = new ArrayList<>();
        for (FailureFact f : facts.subList(0, Math.min(MAX_FAILURES, facts.size()))) {
            NodeFailure nf = new NodeFailure();
            nf.setNode(f.node());
            nf.setReason(f.reason() == null ? Reason.Failed.name() : f.reason());
            nf.setMessage(clip(f.message()));
            nf.setSince(f.since() == null ? null : f.since().toString());
            out.add(nf);
        }
        return out.isEmpty() ? null : out;
    }

    private static List<NotEligibleNode> notEligible(RolloutPlan plan) {
        List<NotEligibleNode> out = new ArrayList<>();
        for (var n : plan.notEligible()
                .subList(0, Math.min(MAX_FAILURES, plan.notEligible().size()))) {
            NotEligibleNode e = new NotEligibleNode();
            e.setNode(n.node());
            e.setReason(n.reason());
            e.setMessage(clip(n.message()));
            out.add(e);
        }
        return out.isEmpty() ? null : out;
    }

    private static List<VersionHistoryEntry> history(
            List<VersionHistoryEntry> previous, RevisionTarget completed, boolean rollback, StatusInput in) {
        List<VersionHistoryEntry> out = new ArrayList<>();
        boolean alreadyNewest = previous != null
                && !previous.isEmpty()
                && completed != null
                && completed.name().equals(previous.get(0).getRevision())
                && rollback == Boolean.TRUE.equals(previous.get(0).getRollback());
        if (completed != null && !alreadyNewest) {
            VersionHistoryEntry e = new VersionHistoryEntry();
            e.setVersion(completed.version());
            e.setRevision(completed.name());
            e.setCompletedAt(in.now().toString());
            e.setRollback(rollback ? Boolean.TRUE : null);
            out.add(e);
        }
        if (previous != null) {
            out.addAll(previous);
        }
        return out.isEmpty() ? null : List.copyOf(out.subList(0, Math.min(MAX_HISTORY, out.size())));
    }

    private static Conditions conditions(StatusInput in, RevisionTarget current) {
        RolloutPlan plan = in.plan();
        Conditions c =
                new Conditions(in.previous() == null ? null : in.previous().getConditions(), in.generation(), in.now());
        String progress = "%d of %d targeted nodes ready on %s, %d updated, %d failed"
                .formatted(plan.ready(), plan.targeted(), in.target().version(), plan.updated(), plan.failed());

        if (plan.complete()) {
            c.put(
                    BundleConditions.AVAILABLE,
                    "True",
                    Reason.RolloutComplete,
                    "version " + in.target().version() + " is rolled out");
        } else if (current != null) {
            c.put(
                    BundleConditions.AVAILABLE,
                    "True",
                    Reason.StableVersionServing,
                    "version " + current.version() + " was fully rolled out");
        } else {
            c.put(
                    BundleConditions.AVAILABLE,
                    "False",
                    Reason.NoVersionRolledOut,
                    "no version was fully rolled out yet; " + progress);
        }

        String firstFailure = plan.failures().isEmpty()
                ? ""
                : "; first failure: " + plan.failures().get(0).node() + " ("
                        + plan.failures().get(0).reason() + ")";
        RolloutState st = plan.state();
        switch (st) {
            case COMPLETE -> c.put(BundleConditions.PROGRESSING, "False", Reason.RolloutComplete, progress);
            case HALTED ->
                c.put(BundleConditions.PROGRESSING, "False", Reason.Halted, clip("rollout halted" + firstFailure));
            case ROLLED_BACK ->
                c.put(
                        BundleConditions.PROGRESSING,
                        "False",
                        Reason.RolledBack,
                        "every node is back on "
                                + (in.stable() == null
                                        ? "no version"
                                        : in.stable().version()));
            case ROLLING_BACK ->
                c.put(
                        BundleConditions.PROGRESSING,
                        "True",
                        Reason.RollingBack,
                        "moving every node back to "
                                + (in.stable() == null
                                        ? "no version"
                                        : in.stable().version()));
            case PAUSED ->
                c.put(BundleConditions.PROGRESSING, "Unknown", Reason.PausedBySpec, "rollout paused; " + progress);
            case WAITING_FOR_UNIT_RESTARTS ->
                c.put(
                        BundleConditions.PROGRESSING,
                        "True",
                        Reason.NodesWaitForUnitRestart,
                        clip("the other nodes are done; the rest wait for their units' restart by someone else"
                                + " (spec.firstAttach: WaitForUnitRestart); " + progress));
            case NO_ELIGIBLE_NODES ->
                c.put(BundleConditions.PROGRESSING, "False", Reason.NoEligibleNodes, clip(noEligible(plan)));
            case WAITING_FOR_AGENTS ->
                c.put(
                        BundleConditions.PROGRESSING,
                        "True",
                        Reason.WaitingForAgents,
                        "nodes match the selector, but no node agent is ready yet (ConfextNode condition Ready);"
                                + " the rollout of " + in.target().version() + " starts with the first ready agent");
            default -> {
                if (plan.deadlineExceeded()) {
                    c.put(
                            BundleConditions.PROGRESSING,
                            "False",
                            Reason.ProgressDeadlineExceeded,
                            "no progress since " + plan.lastProgress() + "; " + progress);
                } else {
                    Reason reason = st == RolloutState.CANARY
                            ? Reason.CanaryInProgress
                            : st == RolloutState.WAITING ? Reason.WaitingMinReady : Reason.WavesInProgress;
                    c.put(BundleConditions.PROGRESSING, "True", reason, progress);
                }
            }
        }

        boolean rollingBack = st == RolloutState.ROLLING_BACK || st == RolloutState.ROLLED_BACK;
        // A rollback in progress keeps its Degraded reason: it is the planner's memory of the rollback.
        if (in.direction() instanceof Direction.Refused refused && !rollingBack) {
            c.put(BundleConditions.DEGRADED, "True", refused.reason(), clip(refused.message()));
        } else if (rollingBack) {
            c.put(
                    BundleConditions.DEGRADED,
                    "True",
                    st == RolloutState.ROLLED_BACK ? Reason.RolledBack : Reason.RollingBack,
                    clip("version " + in.target().version() + " failed" + firstFailure));
        } else if (st == RolloutState.NO_ELIGIBLE_NODES) {
            c.put(BundleConditions.DEGRADED, "True", Reason.NoEligibleNodes, clip(noEligible(plan)));
        } else if (plan.failed() > 0) {
            c.put(
                    BundleConditions.DEGRADED,
                    "True",
                    Reason.NodeFailed,
                    clip(plan.failed() + " node(s) failed" + firstFailure));
        } else if (!in.degraded().isEmpty()) {
            DegradedNode first = in.degraded().get(0);
            c.put(
                    BundleConditions.DEGRADED,
                    "True",
                    Reason.NodeDegraded,
                    clip(in.degraded().size()
                            + " node(s) degraded on " + in.target().version() + " after it was proven; first: "
                            + first.node()
                            + " (" + first.reason() + ": " + first.message() + ")"));
        } else if (plan.deadlineExceeded()) {
            c.put(
                    BundleConditions.DEGRADED,
                    "True",
                    Reason.ProgressDeadlineExceeded,
                    "no progress since " + plan.lastProgress());
        } else {
            c.put(BundleConditions.DEGRADED, "False", Reason.AsExpected, "no node failed");
        }
        c.put(
                BundleConditions.PAUSED,
                in.paused() ? "True" : "False",
                in.paused() ? Reason.PausedBySpec : Reason.NotPaused,
                in.paused() ? "spec.rollout.paused is true: no new nodes are started" : "rollout not paused");
        return c;
    }

    private static String noEligible(RolloutPlan plan) {
        var first = plan.notEligible().get(0);
        return "none of the " + plan.notEligible().size() + " matching node(s) can run the bundle; " + first.node()
                + ": " + first.reason() + " (" + first.message() + ")";
    }

    /** Whether a previous status records a rollback from {@code target}: the planner's memory across restarts. */
    public static boolean recordsRollbackFrom(ConfextBundleStatus status, RevisionTarget target) {
        if (status == null || !target.name().equals(status.getTargetRevision())) {
            return false;
        }
        var degraded = Conditions.find(status.getConditions(), BundleConditions.DEGRADED);
        return degraded != null
                && "True".equals(degraded.getStatus())
                && (Reason.RollingBack.name().equals(degraded.getReason())
                        || Reason.RolledBack.name().equals(degraded.getReason()));
    }

    /** Whether a previous status says spec.version was refused as a downgrade (then the target is frozen anew). */
    public static boolean recordsRefusedDowngrade(ConfextBundleStatus status) {
        if (status == null) {
            return false;
        }
        var degraded = Conditions.find(status.getConditions(), BundleConditions.DEGRADED);
        return degraded != null
                && "True".equals(degraded.getStatus())
                && Reason.DowngradeNotAllowed.name().equals(degraded.getReason());
    }

    static String clip(String s) {
        if (s == null || s.length() <= MAX_MESSAGE) {
            return s;
        }
        return s.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
