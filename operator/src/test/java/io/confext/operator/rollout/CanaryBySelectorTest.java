package io.confext.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code rollout.canary.nodeSelector}: the canary nodes are the matching ones, then the rest in the rollout order. */
class CanaryBySelectorTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final RevisionTarget V1 = new RevisionTarget("chrony-aaaa", "sha256:aa", "1");
    final RolloutPlanner planner = new RolloutPlanner();

    static RolloutRules bySelector(int max, int count, int minReady) {
        return new RolloutRules(MaxUnavailable.count(max), count, minReady, 600, false, OnFailure.HALT, true);
    }

    RolloutPlan step(Fleet f, RolloutRules p, Instant now) {
        RolloutPlan plan = planner.plan(new RolloutInput("chrony", p, V1, null, false, T0, f.views(), now));
        f.apply(plan);
        return plan;
    }

    /** A fleet of 10 whose nodes 7, 8 and 9 carry the canary label. */
    static Fleet labelled() {
        Fleet f = Fleet.of(10);
        for (String n : List.of("node-7", "node-8", "node-9")) {
            f.get(n).canary = true;
        }
        return f;
    }

    void proveAll(Fleet f, Instant at) {
        f.assignedNotReported().forEach(n -> f.report(n, NodePhase.ACTIVE, at));
    }

    @Test
    void theCanaryIsTheMatchingNodesBoundedByCountThenTheRestInTheRolloutOrder() {
        Fleet f = labelled();
        RolloutRules p = bySelector(3, 2, 30);
        RolloutPlan first = step(f, p, T0);
        assertThat(first.state()).isEqualTo(RolloutState.CANARY);
        assertThat(first.newlyAssigned())
                .hasSize(2)
                .allMatch(n -> Set.of("node-7", "node-8", "node-9").contains(n));
        // the same two, in the rollout order: the first two matching nodes by hash
        List<String> byOrder = f.views().stream()
                .sorted(RolloutOrder.comparator("chrony", NodeView::name))
                .filter(NodeView::canaryCandidate)
                .map(NodeView::name)
                .limit(2)
                .toList();
        assertThat(first.newlyAssigned()).containsExactlyInAnyOrderElementsOf(byOrder);

        proveAll(f, T0.plusSeconds(1));
        RolloutPlan waiting = step(f, p, T0.plusSeconds(10));
        assertThat(waiting.newlyAssigned())
                .as("the canaries are proven for only 9 of 30 s")
                .isEmpty();
        assertThat(waiting.state()).isEqualTo(RolloutState.CANARY);

        RolloutPlan wave = step(f, p, T0.plusSeconds(31));
        assertThat(wave.state()).isEqualTo(RolloutState.PROGRESSING);
        List<String> rest = f.views().stream()
                .sorted(RolloutOrder.comparator("chrony", NodeView::name))
                .filter(v -> !first.newlyAssigned().contains(v.name()))
                .map(NodeView::name)
                .limit(3)
                .toList();
        assertThat(wave.newlyAssigned())
                .as("then the rest by the rollout order, a wave of maxUnavailable")
                .containsExactlyElementsOf(rest);
    }

    @Test
    void withoutACountTheCanaryIsOneWaveOfTheMatchingNodes() {
        Fleet f = labelled();
        RolloutRules p = bySelector(2, RolloutRules.CANARY_UP_TO_BUDGET, 0);
        RolloutPlan first = step(f, p, T0);
        assertThat(first.newlyAssigned()).hasSize(2).allMatch(n -> f.get(n).canary);
        proveAll(f, T0);
        RolloutPlan next = step(f, p, T0.plusSeconds(1));
        assertThat(next.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(next.newlyAssigned()).hasSize(2);

        Fleet wide = labelled();
        RolloutPlan all = step(wide, bySelector(5, RolloutRules.CANARY_UP_TO_BUDGET, 0), T0);
        assertThat(all.newlyAssigned())
                .as("fewer matching nodes than maxUnavailable: all of them, nothing else")
                .containsExactlyInAnyOrder("node-7", "node-8", "node-9");
        assertThat(all.state()).isEqualTo(RolloutState.CANARY);
    }

    @Test
    void aFailedCanaryHaltsBeforeAnyOtherNodeStarts() {
        Fleet f = labelled();
        RolloutRules p = bySelector(3, 1, 0);
        String canary = step(f, p, T0).newlyAssigned().get(0);
        assertThat(f.get(canary).canary).isTrue();
        f.report(canary, NodePhase.FAILED, T0.plusSeconds(1));
        RolloutPlan halted = step(f, p, T0.plusSeconds(2));
        assertThat(halted.state()).isEqualTo(RolloutState.HALTED);
        assertThat(halted.newlyAssigned()).isEmpty();
        assertThat(f.nodes.values())
                .filteredOn(n -> n.desired != null)
                .extracting(n -> n.name)
                .containsExactly(canary);
    }

    @Test
    void noMatchingNodeMeansNoCanaryStep() {
        Fleet f = Fleet.of(6);
        RolloutPlan first = step(f, bySelector(2, 1, 30), T0);
        assertThat(first.state()).isEqualTo(RolloutState.PROGRESSING);
        assertThat(first.newlyAssigned()).hasSize(2);
    }

    @Test
    void aMatchingNodeWhoseAgentIsNotReadyIsNoCanary() {
        Fleet f = labelled();
        f.get("node-7").ready = false;
        f.get("node-8").ready = false;
        RolloutPlan first = step(f, bySelector(3, 2, 0), T0);
        assertThat(first.newlyAssigned()).as("the one ready matching node").containsExactly("node-9");
        assertThat(first.state()).isEqualTo(RolloutState.CANARY);
    }
}
