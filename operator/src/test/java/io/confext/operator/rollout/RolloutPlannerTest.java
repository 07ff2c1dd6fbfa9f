package io.confext.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RolloutPlannerTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final RevisionTarget V1 = new RevisionTarget("chrony-aaaa", "sha256:aa", "1");
    static final RevisionTarget V2 = new RevisionTarget("chrony-bbbb", "sha256:bb", "2");
    final RolloutPlanner planner = new RolloutPlanner();

    static RolloutRules policy(MaxUnavailable max, int canary, int minReady, OnFailure onFailure) {
        return new RolloutRules(max, canary, minReady, 600, false, onFailure);
    }

    RolloutPlan step(
            Fleet f, RolloutRules p, RevisionTarget target, RevisionTarget stable, boolean rollingBack, Instant now) {
        RolloutPlan plan = planner.plan(new RolloutInput("chrony", p, target, stable, rollingBack, T0, f.views(), now));
        f.apply(plan);
        return plan;
    }

    @Test
    void aMarkedTargetIsAssignedWithTheDowngradePermitAndOnlyThen() {
        Fleet f = Fleet.of(4);
        f.nodes.values().forEach(n -> n.desired = Assignment.forward(V2));
        RolloutRules p = policy(MaxUnavailable.count(4), 0, 0, OnFailure.HALT);
        RolloutPlan back = planner.plan(new RolloutInput("chrony", p, V1, V2, false, T0, f.views(), T0, true));
        assertThat(back.changes()).hasSize(4).allSatisfy(d -> {
            assertThat(d.desired().revision()).isEqualTo(V1);
            assertThat(d.desired().rollback())
                    .as("the agents need the permit to go down")
                    .isTrue();
        });
        RolloutPlan forward = planner.plan(
                new RolloutInput("chrony", p, V1, null, false, T0, Fleet.of(4).views(), T0));
        assertThat(forward.changes())
                .hasSize(4)
                .allSatisfy(d -> assertThat(d.desired().rollback()).isFalse());
    }

    @Test
    void nodesWithoutAReadyAgentMakeNoCompleteRollout() {
        Fleet f = Fleet.of(3);
        f.nodes.values().forEach(n -> n.ready = false);
        RolloutRules p = policy(MaxUnavailable.count(1), 0, 0, OnFailure.HALT);

        RolloutPlan before = step(f, p, V1, null, false, T0);
        assertThat(before.state())
                .as("nodes match, but no agent is ready: nothing is rolled out")
                .isEqualTo(RolloutState.WAITING_FOR_AGENTS);
        assertThat(before.complete()).isFalse();
        assertThat(before.changes())
                .as("no entry for a node without a ready agent")
                .isEmpty();

        f.get("node-1").ready = true;
        RolloutPlan first = step(f, p, V1, null, false, T0.plusSeconds(1));
        assertThat(first.newlyAssigned()).containsExactly("node-1");
        f.report("node-1", NodePhase.ACTIVE, T0.plusSeconds(2));
        assertThat(step(f, p, V1, null, false, T0.plusSeconds(3)).state())
                .as("complete on the nodes whose agents are ready")
                .isEqualTo(RolloutState.COMPLETE);

        f.get("node-1").ready = false;
        assertThat(step(f, p, V1, V1, false, T0.plusSeconds(4)).state())
                .as("a delivered version stays complete while its agents restart")
                .isEqualTo(RolloutState.COMPLETE);
        assertThat(step(f, p, V2, V1, false, T0.plusSeconds(5)).state())
                .as("a new version waits for an agent")
                .isEqualTo(RolloutState.WAITING_FOR_AGENTS);
    }

    @Test
    void noMatchingNodeAtAllIsStillComplete() {
        Fleet f = Fleet.of(2);
        f.nodes.values().forEach(n -> {
            n.matches = false;
            n.ready = false;
        });
        RolloutPlan plan = step(f, policy(MaxUnavailable.count(1), 0, 0, OnFailure.HALT), V1, null, false, T0);
        assertThat(plan.state())
                .as("a selector that matches no node has nothing to wait for, as a DaemonSet of 0 is available")
                .isEqualTo(RolloutState.COMPLETE);
    }

    @Test
    void percentBudgetRoundsDownButNeverBelowOne() {
        assertThat(MaxUnavailable.percent(10).resolve(25)).isEqualTo(2);
        assertThat(MaxUnavailable.percent(10).resolve(5)).isEqualTo(1);
        assertThat(MaxUnavailable.percent(100).resolve(7)).isEqualTo(7);
        assertThat(MaxUnavailable.parse("25%")).isEqualTo(MaxUnavailable.percent(25));
        assertThat(MaxUnavailable.parse(3)).isEqualTo(MaxUnavailable.count(3));
        assertThatThrownBy(() -> MaxUnavailable.parse("ten")).hasMessageContaining("maxUnavailable");
        assertThatThrownBy(() -> MaxUnavailable.parse("0")).hasMessageContaining(">= 1");
    }

    @Test
    void canaryFirstThenWaitMinReadyThenWaves() {
        Fleet f = Fleet.of(10);
        RolloutRules p = policy(MaxUnavailable.count(3), 1, 30, OnFailure.HALT);

        RolloutPlan first = step(f, p, V1, null, false, T0);
        assertThat(first.newlyAssigned()).hasSize(1);
        assertThat(first.state()).isEqualTo(RolloutState.CANARY);
        String canary = first.newlyAssigned().get(0);

        assertThat(step(f, p, V1, null, false, T0.plusSeconds(5)).newlyAssigned())
                .isEmpty();
        f.report(canary, NodePhase.ACTIVE, T0.plusSeconds(10));
        RolloutPlan waiting = step(f, p, V1, null, false, T0.plusSeconds(20));
        assertThat(waiting.newlyAssigned())
                .as("canary proven for only 10 of 30 s")
                .isEmpty();
        assertThat(waiting.state()).isEqualTo(RolloutState.CANARY);
        assertThat(waiting.recheckAt()).contains(T0.plusSeconds(40));

        RolloutPlan wave = step(f, p, V1, null, false, T0.plusSeconds(40));
        assertThat(wave.newlyAssigned()).hasSize(3).doesNotContain(canary);
        assertThat(wave.state()).isEqualTo(RolloutState.PROGRESSING);
    }

    @Test
    void orderDoesNotDependOnInputOrderAndIsStable() {
        Fleet f = Fleet.of(50);
        RolloutRules p = policy(MaxUnavailable.count(5), 0, 0, OnFailure.HALT);
        List<NodeView> views = new ArrayList<>(f.views());
        RolloutPlan a = planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, views, T0));
        Collections.shuffle(views, new Random(7));
        RolloutPlan b = planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, views, T0));
        assertThat(a.newlyAssigned()).isEqualTo(b.newlyAssigned());
        RolloutPlan other = planner.plan(new RolloutInput("sshd", p, V1, null, false, T0, views, T0));
        assertThat(other.newlyAssigned()).as("another bundle starts elsewhere").isNotEqualTo(a.newlyAssigned());
    }

    @Test
    void haltStopsAtFirstFailedNode() {
        Fleet f = Fleet.of(6);
        RolloutRules p = policy(MaxUnavailable.count(2), 0, 0, OnFailure.HALT);
        RolloutPlan w1 = step(f, p, V1, null, false, T0);
        f.report(w1.newlyAssigned().get(0), NodePhase.FAILED, T0.plusSeconds(1));
        f.report(w1.newlyAssigned().get(1), NodePhase.ACTIVE, T0.plusSeconds(1));
        RolloutPlan halted = step(f, p, V1, null, false, T0.plusSeconds(2));
        assertThat(halted.state()).isEqualTo(RolloutState.HALTED);
        assertThat(halted.newlyAssigned()).isEmpty();
        assertThat(halted.failures())
                .extracting(FailureFact::node)
                .containsExactly(w1.newlyAssigned().get(0));
        assertThat(halted.failures().get(0).reason()).isEqualTo("ReloadFailed");
    }

    @Test
    void rollbackSendsEveryNodeBackToStableWithDowngradePermit() {
        Fleet f = Fleet.of(6);
        RolloutRules p = policy(MaxUnavailable.count(6), 0, 0, OnFailure.ROLLBACK);
        step(f, p, V1, null, false, T0);
        f.nodes.keySet().forEach(n -> f.report(n, NodePhase.ACTIVE, T0));
        assertThat(step(f, p, V1, null, false, T0).complete()).isTrue();

        RolloutRules p2 = policy(MaxUnavailable.count(2), 0, 0, OnFailure.ROLLBACK);
        RolloutPlan w = step(f, p2, V2, V1, false, T0.plusSeconds(10));
        f.report(w.newlyAssigned().get(0), NodePhase.FAILED, T0.plusSeconds(11));
        RolloutPlan rb = step(f, p2, V2, V1, false, T0.plusSeconds(12));
        assertThat(rb.rollbackStarted()).isTrue();
        assertThat(rb.state()).isEqualTo(RolloutState.ROLLING_BACK);
        assertThat(f.nodes.values())
                .allSatisfy(n -> assertThat(n.desired.revision()).isEqualTo(V1));
        for (String moved : w.newlyAssigned()) {
            assertThat(f.get(moved).desired.rollback()).isTrue();
        }
        f.nodes.keySet().forEach(n -> f.report(n, NodePhase.ACTIVE, T0.plusSeconds(13)));
        RolloutPlan done = step(f, p2, V2, V1, true, T0.plusSeconds(14));
        assertThat(done.state()).isEqualTo(RolloutState.ROLLED_BACK);
        assertThat(done.changes()).isEmpty();
    }

    @Test
    void pausedAssignsNothingAndResumeContinues() {
        Fleet f = Fleet.of(4);
        RolloutRules p = policy(MaxUnavailable.count(1), 0, 0, OnFailure.HALT).withPaused(true);
        RolloutPlan paused = step(f, p, V1, null, false, T0);
        assertThat(paused.state()).isEqualTo(RolloutState.PAUSED);
        assertThat(paused.newlyAssigned()).isEmpty();
        assertThat(step(f, p.withPaused(false), V1, null, false, T0).newlyAssigned())
                .hasSize(1);
    }

    @Test
    void progressDeadlineExceededWithoutProgress() {
        Fleet f = Fleet.of(3);
        RolloutRules p = new RolloutRules(MaxUnavailable.count(1), 0, 0, 60, false, OnFailure.HALT);
        RolloutPlan w = step(f, p, V1, null, false, T0);
        f.report(w.newlyAssigned().get(0), NodePhase.FETCHING, T0.plusSeconds(30));
        assertThat(step(f, p, V1, null, false, T0.plusSeconds(80)).deadlineExceeded())
                .as("progress at +30 s")
                .isFalse();
        RolloutPlan late = step(f, p, V1, null, false, T0.plusSeconds(91));
        assertThat(late.deadlineExceeded()).isTrue();
        assertThat(late.lastProgress()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void removedNodeFreesItsSlotAndJoiningNodeGetsTarget() {
        Fleet f = Fleet.of(3);
        RolloutRules p = policy(MaxUnavailable.count(1), 0, 0, OnFailure.HALT);
        String first = step(f, p, V1, null, false, T0).newlyAssigned().get(0);
        assertThat(step(f, p, V1, null, false, T0).newlyAssigned()).isEmpty();
        f.nodes.remove(first);
        String second = step(f, p, V1, null, false, T0).newlyAssigned().get(0);
        f.report(second, NodePhase.ACTIVE, T0);
        String third = step(f, p, V1, null, false, T0).newlyAssigned().get(0);
        f.report(third, NodePhase.ACTIVE, T0);
        assertThat(step(f, p, V1, null, false, T0).complete()).isTrue();

        f.add("late-joiner");
        RolloutPlan join = step(f, p, V1, V1, false, T0.plusSeconds(5));
        assertThat(join.newlyAssigned()).containsExactly("late-joiner");
    }

    @Test
    void nodeLeavingSelectorLosesItsEntryAndUnreadyAgentGetsNoWork() {
        Fleet f = Fleet.of(2);
        RolloutRules p = policy(MaxUnavailable.count(2), 0, 0, OnFailure.HALT);
        f.get("node-1").ready = false;
        RolloutPlan plan = step(f, p, V1, null, false, T0);
        assertThat(plan.newlyAssigned()).containsExactly("node-0");
        assertThat(plan.targeted()).isEqualTo(1);
        f.get("node-0").matches = false;
        RolloutPlan after = step(f, p, V1, null, false, T0);
        assertThat(after.changes()).extracting(NodeDecision::name).containsExactly("node-0");
        assertThat(f.get("node-0").desired).isNull();
    }
}
