package io.confext.operator.rollout;

import static io.confext.operator.rollout.RolloutPlannerTest.T0;
import static io.confext.operator.rollout.RolloutPlannerTest.V1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A node whose bundle waits for someone else's unit restart (spec.firstAttach: WaitForUnitRestart) in a rollout. */
class WaitingForUnitRestartRolloutTest {
    private final RolloutPlanner planner = new RolloutPlanner();

    private RolloutPlan step(Fleet f, RolloutRules p, Instant now) {
        RolloutPlan plan = planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, f.views(), now));
        f.apply(plan);
        return plan;
    }

    private static void waits(Fleet f, String node, Instant since) {
        RevisionTarget r = f.get(node).desired.revision();
        f.get(node).observed = new Observation(
                NodePhase.PENDING,
                r.name(),
                r.digest(),
                since,
                "WaitingForUnitRestart",
                "demo.service runs without extensions ...");
    }

    @Test
    void aWaitingNodeHoldsNoSlotHaltsNothingAndIsNotProven() {
        Fleet f = Fleet.of(3);
        RolloutRules p = new RolloutRules(MaxUnavailable.count(1), 0, 0, 600, false, OnFailure.HALT);
        RolloutPlan first = step(f, p, T0);
        String a = first.newlyAssigned().get(0);
        waits(f, a, T0.plusSeconds(1));

        RolloutPlan next = step(f, p, T0.plusSeconds(2));
        assertThat(next.newlyAssigned())
                .as("the waiting node's units run untouched: the wave goes on")
                .hasSize(1);
        assertThat(next.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(next.ready()).isZero();
        assertThat(next.failed()).isZero();
        String b = next.newlyAssigned().get(0);
        f.report(b, NodePhase.ACTIVE, T0.plusSeconds(3));
        String c = step(f, p, T0.plusSeconds(4)).newlyAssigned().get(0);
        f.report(c, NodePhase.ACTIVE, T0.plusSeconds(5));

        RolloutPlan left = step(f, p, T0.plusSeconds(6));
        assertThat(left.state()).as("only the waiting node is left").isEqualTo(RolloutState.WAITING_FOR_UNIT_RESTARTS);
        assertThat(left.complete()).isFalse();
        assertThat(left.ready()).isEqualTo(2);
        assertThat(left.updated()).isEqualTo(3);
        assertThat(left.unavailable()).isZero();

        RolloutPlan muchLater = step(f, p, T0.plusSeconds(6000));
        assertThat(muchLater.deadlineExceeded())
                .as("the wait is the bundle's choice: no progress deadline")
                .isFalse();
        assertThat(muchLater.state()).isEqualTo(RolloutState.WAITING_FOR_UNIT_RESTARTS);

        f.report(a, NodePhase.ACTIVE, T0.plusSeconds(6001)); // someone restarted the unit; the agent proved it
        assertThat(step(f, p, T0.plusSeconds(6002)).complete()).isTrue();
    }

    @Test
    void aWaitingNodeBesideAFailedOneDoesNotHideTheHalt() {
        Fleet f = Fleet.of(2);
        RolloutRules p = new RolloutRules(MaxUnavailable.count(2), 0, 0, 600, false, OnFailure.HALT);
        RolloutPlan first = step(f, p, T0);
        waits(f, first.newlyAssigned().get(0), T0.plusSeconds(1));
        f.report(first.newlyAssigned().get(1), NodePhase.FAILED, T0.plusSeconds(1));
        assertThat(step(f, p, T0.plusSeconds(2)).state()).isEqualTo(RolloutState.HALTED);
    }
}
