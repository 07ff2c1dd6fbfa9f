package io.confext.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.version.UapiVersion;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class UndoPlannerTest {
    final UndoPlanner undo = new UndoPlanner();

    static RevisionTarget rev(String version) {
        return new RevisionTarget("chrony-" + version.replace('.', 'x'), "sha256:" + version, version);
    }

    static DeliveredVersion delivered(String version) {
        return new DeliveredVersion(version, rev(version).name());
    }

    @Test
    void backToADeliveredVersionIsAMarkedRollback() {
        Direction d = undo.decide(rev("1.0"), List.of(delivered("2.0"), delivered("1.0")), List.of("2.0"), false);
        assertThat(d)
                .isInstanceOfSatisfying(
                        Direction.Rollback.class,
                        r -> assertThat(r.reason()).isEqualTo(io.confext.api.status.Reason.RollbackToDeliveredVersion));
        assertThat(d.marksRollback()).isTrue();
    }

    @Test
    void aLowerVersionNeverDeliveredIsRefusedUnlessTheBundleOptsIn() {
        List<DeliveredVersion> history = List.of(delivered("2.0"), delivered("1.0"));
        Direction refused = undo.decide(rev("0.9"), history, List.of("2.0"), false);
        assertThat(refused).isInstanceOfSatisfying(Direction.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(io.confext.api.status.Reason.DowngradeNotAllowed);
            assertThat(r.message()).contains("0.9", "2.0", "status.history: 2.0, 1.0", "spec.rollout.allowDowngrade");
        });
        assertThat(refused.marksRollback()).isFalse();
        Direction allowed = undo.decide(rev("0.9"), history, List.of("2.0"), true);
        assertThat(allowed)
                .isInstanceOfSatisfying(
                        Direction.Rollback.class,
                        r -> assertThat(r.reason()).isEqualTo(io.confext.api.status.Reason.DowngradeAllowedBySpec));
    }

    @Test
    void aVersionOnlyOnSomeNodesCountsAsDelivered() {
        // 2.0 halted half-way (never completed, so not in the history): going back to 1.0 moves those nodes down.
        Direction d = undo.decide(rev("1.0"), List.of(delivered("1.0")), List.of("2.0", "1.0"), false);
        assertThat(d.marksRollback()).isTrue();
        // and a version below everything, but only on nodes, is still refused
        assertThat(undo.decide(rev("0.5"), List.of(), List.of("2.0"), false)).isInstanceOf(Direction.Refused.class);
    }

    @Test
    void firstVersionSameVersionAndUpgradesAreForward() {
        assertThat(undo.decide(rev("1.0"), List.of(), List.of(), false)).isInstanceOf(Direction.Forward.class);
        assertThat(undo.decide(rev("2.0"), List.of(delivered("2.0")), List.of("2.0"), false))
                .isInstanceOf(Direction.Forward.class);
        assertThat(undo.decide(rev("2.10"), List.of(delivered("2.9")), List.of("2.9"), false))
                .isInstanceOf(Direction.Forward.class);
    }

    @Test
    void undoPreviousIsTheNewestOtherVersionAndAVersionMustBeInTheHistory() {
        List<DeliveredVersion> history =
                List.of(delivered("2.0"), delivered("1.0"), delivered("2.0"), delivered("0.5"));
        assertThat(undo.undoTarget("previous", history, "2.0"))
                .isEqualTo(new UndoPlanner.UndoTarget.Found(delivered("1.0")));
        // while 3.0 rolls out, previous is the last completed version
        assertThat(undo.undoTarget("previous", history, "3.0"))
                .isEqualTo(new UndoPlanner.UndoTarget.Found(delivered("2.0")));
        assertThat(undo.undoTarget("0.5", history, "2.0"))
                .isEqualTo(new UndoPlanner.UndoTarget.Found(delivered("0.5")));
        assertThat(undo.undoTarget("0.4", history, "2.0"))
                .isInstanceOfSatisfying(
                        UndoPlanner.UndoTarget.NotFound.class,
                        n -> assertThat(n.message()).contains("0.4", "2.0, 1.0, 0.5"));
        assertThat(undo.undoTarget("2.0", history, "2.0")).isInstanceOf(UndoPlanner.UndoTarget.NotFound.class);
        assertThat(undo.undoTarget("previous", List.of(delivered("2.0")), "2.0"))
                .isInstanceOf(UndoPlanner.UndoTarget.NotFound.class);
    }

    /** Over random fleets: the planner gives the permit to every new assignment of a marked target, and to none otherwise. */
    @Property(tries = 200)
    void thePlannerMarksExactlyTheAssignmentsOfAMarkedTarget(
            @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 2) Integer> nodes,
            @ForAll @IntRange(min = 1, max = 10) int max,
            @ForAll boolean mark) {
        RevisionTarget v1 = rev("1.0");
        RevisionTarget v2 = rev("2.0");
        List<NodeView> views = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Assignment desired =
                    nodes.get(i) == 0 ? null : nodes.get(i) == 1 ? Assignment.forward(v2) : Assignment.forward(v1);
            views.add(new NodeView("n" + i, true, true, desired, null));
        }
        RolloutRules rules = new RolloutRules(MaxUnavailable.count(max), 0, 0, 600, false, OnFailure.HALT);
        RolloutPlan plan = new RolloutPlanner()
                .plan(new RolloutInput(
                        "chrony", rules, v1, v2, false, java.time.Instant.EPOCH, views, java.time.Instant.EPOCH, mark));
        assertThat(plan.changes()).allSatisfy(d -> {
            assertThat(d.desired().revision()).isEqualTo(v1);
            assertThat(d.desired().rollback()).isEqualTo(mark);
        });
        // nodes already sent to 1.0 and not yet reporting use up the budget
        long onTarget = nodes.stream().filter(n -> n == 2).count();
        long expected = Math.min(Math.max(0, max - onTarget), nodes.size() - onTarget);
        assertThat(plan.changes()).hasSize((int) expected);
    }

    /** Over random histories: older means Rollback iff delivered or opted in; never older means Forward. */
    @Property(tries = 500)
    void directionFollowsUapiOrderAndHistory(
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 9) Integer> history,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 9) Integer> onNodes,
            @ForAll @IntRange(min = 0, max = 9) int target,
            @ForAll boolean allow) {
        List<DeliveredVersion> h =
                history.stream().map(i -> delivered(i + ".0")).toList();
        List<String> nodes = onNodes.stream().map(i -> i + ".0").toList();
        String t = target + ".0";
        Direction d = undo.decide(rev(t), h, nodes, allow);
        boolean older =
                history.stream().anyMatch(i -> i > target) || onNodes.stream().anyMatch(i -> i > target);
        boolean wasDelivered = history.contains(target);
        assertThat(UapiVersion.compare("10.0", "9.0")).isPositive();
        if (!older) {
            assertThat(d).isInstanceOf(Direction.Forward.class);
        } else if (wasDelivered || allow) {
            assertThat(d).isInstanceOf(Direction.Rollback.class);
        } else {
            assertThat(d).isInstanceOf(Direction.Refused.class);
        }
    }
}
