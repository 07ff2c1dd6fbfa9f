package io.confext.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.operator.node.NodeViews;
import io.confext.operator.rollout.Assignment;
import io.confext.operator.rollout.Direction;
import io.confext.operator.rollout.MaxUnavailable;
import io.confext.operator.rollout.NodePhase;
import io.confext.operator.rollout.NodeView;
import io.confext.operator.rollout.Observation;
import io.confext.operator.rollout.OnFailure;
import io.confext.operator.rollout.RevisionTarget;
import io.confext.operator.rollout.RolloutInput;
import io.confext.operator.rollout.RolloutPlan;
import io.confext.operator.rollout.RolloutPlanner;
import io.confext.operator.rollout.RolloutRules;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final RevisionTarget V1 = new RevisionTarget("chrony-aaaaaaaaaa", "sha256:" + "a".repeat(64), "4.5.1");
    static final RevisionTarget V2 = new RevisionTarget("chrony-bbbbbbbbbb", "sha256:" + "b".repeat(64), "4.5.2");
    final RolloutPlanner planner = new RolloutPlanner();
    final StatusAggregator aggregator = new StatusAggregator();

    static Condition cond(ConfextBundleStatus s, String type) {
        return s.getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow();
    }

    RolloutPlan plan(List<NodeView> nodes, RolloutRules p, RevisionTarget stable, Instant now) {
        return planner.plan(new RolloutInput("chrony", p, V2, stable, false, T0, nodes, now));
    }

    @Test
    void statusOfFiveThousandNodesWithEveryNodeFailedFitsIn16KiB() {
        List<NodeView> nodes = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            nodes.add(new NodeView(
                    "worker-node-with-a-long-name-%05d.eu-west-1.compute.internal".formatted(i),
                    true,
                    true,
                    Assignment.forward(V2),
                    new Observation(
                            NodePhase.FAILED,
                            V2.name(),
                            V2.digest(),
                            T0.plusSeconds(i),
                            "ReloadFailed",
                            "chronyd.service: reload failed: " + "x".repeat(2000))));
        }
        RolloutRules p = new RolloutRules(MaxUnavailable.percent(100), 0, 0, 600, false, OnFailure.HALT);
        ConfextBundleStatus previous = null;
        for (int v = 0; v < 15; v++) { // fill the history beyond its bound
            RevisionTarget t = new RevisionTarget("chrony-%010d".formatted(v), "sha256:x", "4.5." + v);
            RolloutPlan done = planner.plan(new RolloutInput("chrony", p, t, null, false, T0, List.of(), T0));
            previous = aggregator.aggregate(new StatusInput(v, t, null, done, false, previous, T0.plusSeconds(v)));
        }
        ConfextBundleStatus s = aggregator.aggregate(new StatusInput(
                20, V2, V1, plan(nodes, p, V1, T0.plusSeconds(9000)), false, previous, T0.plusSeconds(9000)));

        int bytes = Serialization.asJson(s).getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThanOrEqualTo(16 * 1024);
        assertThat(s.getFailed()).isEqualTo(5000);
        assertThat(s.getFailures()).hasSize(10);
        assertThat(s.getFailures().get(0).getNode()).endsWith("00000.eu-west-1.compute.internal");
        assertThat(s.getHistory()).hasSize(10);
        assertThat(s.getHistory().get(0).getVersion()).isEqualTo("4.5.14");
        assertThat(cond(s, "Degraded").getReason()).isEqualTo("NodeFailed");
        assertThat(cond(s, "Progressing").getReason()).isEqualTo("Halted");
        assertThat(cond(s, "Progressing").getStatus()).isEqualTo("False");
    }

    @Test
    void noReadyAgentGivesWaitingForAgentsAndNoHistory() {
        List<NodeView> nodes = List.of(
                new NodeView("node-a", true, false, null, null), new NodeView("node-b", true, false, null, null));
        RolloutRules p = new RolloutRules(MaxUnavailable.count(1), 0, 0, 600, false, OnFailure.HALT);
        ConfextBundleStatus s =
                aggregator.aggregate(new StatusInput(1, V2, null, plan(nodes, p, null, T0), false, null, T0));

        assertThat(cond(s, "Progressing").getReason()).isEqualTo("WaitingForAgents");
        assertThat(cond(s, "Progressing").getStatus()).isEqualTo("True");
        assertThat(cond(s, "Progressing").getMessage()).contains("no node agent is ready", "4.5.2");
        assertThat(cond(s, "Available").getReason()).isEqualTo("NoVersionRolledOut");
        assertThat(s.getCurrentVersion()).as("nothing was rolled out").isNull();
        assertThat(s.getHistory()).isNull();
        assertThat(s.getTargeted()).isZero();
    }

    @Test
    void completionRecordsHistoryAndCurrentVersion() {
        List<NodeView> nodes = List.of(new NodeView(
                "a",
                true,
                true,
                Assignment.forward(V2),
                new Observation(NodePhase.ACTIVE, V2.name(), V2.digest(), T0, "Proven", "")));
        RolloutPlan p = plan(nodes, RolloutRules.defaults(), V1, T0.plusSeconds(1));
        ConfextBundleStatus s = aggregator.aggregate(new StatusInput(3, V2, V1, p, false, null, T0.plusSeconds(1)));
        assertThat(s.getObservedGeneration()).isEqualTo(3);
        assertThat(s.getCurrentVersion()).isEqualTo("4.5.2");
        assertThat(s.getCurrentRevision()).isEqualTo(V2.name());
        assertThat(s.getHistory())
                .singleElement()
                .satisfies(h -> assertThat(h.getRevision()).isEqualTo(V2.name()));
        assertThat(cond(s, "Available").getReason()).isEqualTo("RolloutComplete");
        assertThat(cond(s, "Progressing").getReason()).isEqualTo("RolloutComplete");
        assertThat(cond(s, "Degraded").getStatus()).isEqualTo("False");
        assertThat(cond(s, "Paused").getStatus()).isEqualTo("False");

        ConfextBundleStatus again = aggregator.aggregate(new StatusInput(3, V2, V1, p, false, s, T0.plusSeconds(50)));
        assertThat(again.getHistory()).as("completion recorded once").hasSize(1);
        assertThat(cond(again, "Available").getLastTransitionTime())
                .as("unchanged condition keeps its time")
                .isEqualTo(T0.plusSeconds(1).toString());
    }

    @Test
    void aDegradedNodeIsNotReadyAndItsReasonIsInTheDegradedCondition() {
        BundleState lost = new BundleState();
        lost.setName("chrony");
        lost.setRevision(V2.name());
        lost.setDigest(V2.digest());
        lost.setPhase(BundlePhase.Degraded);
        lost.setReason("UnitFailed");
        lost.setMessage("chronyd.service failed: killed by signal 9 (KILL)");
        BundleState fine = new BundleState();
        fine.setName("chrony");
        fine.setRevision(V2.name());
        fine.setDigest(V2.digest());
        fine.setPhase(BundlePhase.Active);
        ConfextNode cxn = new ConfextNode();
        cxn.setMetadata(new ObjectMetaBuilder().withName("b").build());
        ConfextNodeStatus st = new ConfextNodeStatus();
        st.setBundles(List.of(lost));
        cxn.setStatus(st);
        List<NodeView> nodes = List.of(
                new NodeView(
                        "a",
                        true,
                        true,
                        Assignment.forward(V2),
                        new Observation(NodePhase.ACTIVE, V2.name(), V2.digest(), T0, "Proven", "")),
                new NodeView(
                        "b",
                        true,
                        true,
                        Assignment.forward(V2),
                        NodeViews.of("chrony", null, cxn, null).observed()));
        RolloutPlan p = plan(nodes, RolloutRules.defaults(), V1, T0.plusSeconds(5));
        ConfextBundleStatus s = aggregator.aggregate(new StatusInput(
                3,
                V2,
                V1,
                p,
                false,
                null,
                T0.plusSeconds(5),
                new io.confext.operator.rollout.Direction.Forward(),
                DegradedNode.on(V2, java.util.Map.of("a", fine, "b", lost))));
        assertThat(s.getReady()).as("the degraded node is not ready").isEqualTo(1);
        assertThat(s.getFailed())
                .as("nor failed: it was proven, the wave does not halt for it")
                .isZero();
        assertThat(cond(s, "Degraded").getStatus()).isEqualTo("True");
        assertThat(cond(s, "Degraded").getReason()).isEqualTo("NodeDegraded");
        assertThat(cond(s, "Degraded").getMessage())
                .contains("b (UnitFailed: chronyd.service failed: killed by signal 9");
    }

    @Test
    void aCompletedUndoIsARollbackInTheHistoryAndARefusalIsDegraded() {
        // V1 is the stable version in the history; the fleet went to V2 and now back to V1, marked.
        ConfextBundleStatus before = new ConfextBundleStatus();
        var h2 = new io.confext.api.v1alpha1.VersionHistoryEntry();
        h2.setVersion(V2.version());
        h2.setRevision(V2.name());
        before.setHistory(List.of(h2));
        List<NodeView> back = List.of(new NodeView(
                "a",
                true,
                true,
                new Assignment(V1, true),
                new Observation(NodePhase.ACTIVE, V1.name(), V1.digest(), T0, "Proven", "")));
        RolloutPlan done = planner.plan(
                new RolloutInput("chrony", RolloutRules.defaults(), V1, V2, false, T0, back, T0.plusSeconds(1), true));
        Direction rollback = new Direction.Rollback(io.confext.api.status.Reason.RollbackToDeliveredVersion, "back");
        ConfextBundleStatus s =
                aggregator.aggregate(new StatusInput(4, V1, V2, done, false, before, T0.plusSeconds(1), rollback));
        assertThat(s.getHistory()).hasSize(2);
        assertThat(s.getHistory().get(0).getVersion()).isEqualTo(V1.version());
        assertThat(s.getHistory().get(0).getRollback())
                .as("shown as a rollback")
                .isTrue();
        assertThat(s.getHistory().get(1).getRollback()).isNull();
        ConfextBundleStatus again =
                aggregator.aggregate(new StatusInput(4, V1, V2, done, false, s, T0.plusSeconds(9), rollback));
        assertThat(again.getHistory()).as("recorded once").hasSize(2);

        Direction refused =
                new Direction.Refused(io.confext.api.status.Reason.DowngradeNotAllowed, "spec.version 0.1 is older");
        ConfextBundleStatus r =
                aggregator.aggregate(new StatusInput(5, V1, V1, done, false, again, T0.plusSeconds(10), refused));
        assertThat(cond(r, "Degraded").getStatus()).isEqualTo("True");
        assertThat(cond(r, "Degraded").getReason()).isEqualTo("DowngradeNotAllowed");
        assertThat(cond(r, "Degraded").getMessage()).contains("0.1");
        assertThat(StatusAggregator.recordsRefusedDowngrade(r)).isTrue();
        assertThat(StatusAggregator.recordsRefusedDowngrade(again)).isFalse();
    }

    @Test
    void theEndOfAnOnFailureRollbackIsARollbackInTheHistory() {
        ConfextBundleStatus before = new ConfextBundleStatus();
        var h1 = new io.confext.api.v1alpha1.VersionHistoryEntry();
        h1.setVersion(V1.version());
        h1.setRevision(V1.name());
        before.setHistory(List.of(h1));
        List<NodeView> settled = List.of(new NodeView(
                "a",
                true,
                true,
                new Assignment(V1, true),
                new Observation(NodePhase.ACTIVE, V1.name(), V1.digest(), T0, "Proven", "")));
        RolloutRules rb = new RolloutRules(MaxUnavailable.count(1), 0, 0, 60, false, OnFailure.ROLLBACK);
        RolloutPlan p = planner.plan(new RolloutInput("chrony", rb, V2, V1, true, T0, settled, T0.plusSeconds(5)));
        assertThat(p.state()).isEqualTo(io.confext.operator.rollout.RolloutState.ROLLED_BACK);
        ConfextBundleStatus s = aggregator.aggregate(new StatusInput(2, V2, V1, p, false, before, T0.plusSeconds(5)));
        assertThat(s.getHistory())
                .extracting(e -> e.getVersion() + ":" + e.getRollback())
                .containsExactly(V1.version() + ":true", V1.version() + ":null");
    }

    @Test
    void inProgressAndPausedAndDeadline() {
        List<NodeView> nodes =
                List.of(new NodeView("a", true, true, null, null), new NodeView("b", true, true, null, null));
        RolloutRules canary = new RolloutRules(MaxUnavailable.count(1), 1, 0, 60, false, OnFailure.HALT);
        ConfextBundleStatus s =
                aggregator.aggregate(new StatusInput(1, V2, V1, plan(nodes, canary, V1, T0), false, null, T0));
        assertThat(cond(s, "Progressing").getReason()).isEqualTo("CanaryInProgress");
        assertThat(cond(s, "Available").getReason()).isEqualTo("StableVersionServing");
        assertThat(s.getCurrentVersion()).isEqualTo("4.5.1");

        ConfextBundleStatus paused = aggregator.aggregate(
                new StatusInput(2, V2, V1, plan(nodes, canary.withPaused(true), V1, T0), true, s, T0));
        assertThat(cond(paused, "Paused").getStatus()).isEqualTo("True");
        assertThat(cond(paused, "Progressing").getStatus()).isEqualTo("Unknown");

        List<NodeView> stuck = List.of(
                new NodeView("a", true, true, Assignment.forward(V2), null), new NodeView("b", true, true, null, null));
        ConfextBundleStatus late = aggregator.aggregate(
                new StatusInput(2, V2, V1, plan(stuck, canary, V1, T0.plusSeconds(61)), false, s, T0.plusSeconds(61)));
        assertThat(cond(late, "Progressing").getStatus()).isEqualTo("False");
        assertThat(cond(late, "Progressing").getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(cond(late, "Degraded").getReason()).isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void rollbackIsRememberedThroughStatus() {
        List<NodeView> nodes = List.of(new NodeView(
                "a",
                true,
                true,
                Assignment.forward(V2),
                new Observation(NodePhase.FAILED, V2.name(), V2.digest(), T0, "VerificationFailed", "bad signature")));
        RolloutRules rb = new RolloutRules(MaxUnavailable.count(1), 0, 0, 60, false, OnFailure.ROLLBACK);
        RolloutPlan p = plan(nodes, rb, V1, T0);
        assertThat(p.rollbackStarted()).isTrue();
        ConfextBundleStatus s = aggregator.aggregate(new StatusInput(1, V2, V1, p, false, null, T0));
        assertThat(StatusAggregator.recordsRollbackFrom(s, V2)).isTrue();
        assertThat(StatusAggregator.recordsRollbackFrom(s, V1))
                .as("a new target starts fresh")
                .isFalse();
        assertThat(cond(s, "Degraded").getMessage()).contains("a (VerificationFailed)");
    }
}
