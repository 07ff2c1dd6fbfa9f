package io.confext.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.kube.NodeEventRules.NodeEvent;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which Events a converge and a progress report call for, and how a repeated one aggregates. */
class NodeEventRulesTest {

    private static BundleState state(String name, BundlePhase phase, String reason, String message) {
        BundleState s = new BundleState();
        s.setName(name);
        s.setPhase(phase);
        s.setReason(reason);
        s.setMessage(message);
        s.setActiveVersion("3");
        return s;
    }

    @Test
    void aRepairedDriftIsAWarningThatSaysWhatChanged() {
        List<NodeEvent> events = NodeEventRules.fromConverge(List.of(state(
                "demo",
                BundlePhase.Active,
                "Drifted",
                "drift repaired from the verified revision: changed /var/lib/x/demo.v/demo_3/etc/demo.conf; Proven")));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.warning()).isTrue();
            assertThat(e.reason()).isEqualTo(Reason.Drifted);
            assertThat(e.bundle()).isEqualTo("demo");
            assertThat(e.message())
                    .startsWith("bundle demo version 3: drift repaired from the verified revision")
                    .contains("changed /var/lib/x/demo.v/demo_3/etc/demo.conf");
        });
    }

    @Test
    void aRestoreAtStartIsNormal() {
        assertThat(NodeEventRules.fromConverge(List.of(state(
                        "demo", BundlePhase.Active, "RestoredFromLocalState", "version 3 restored from the journal"))))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.warning()).isFalse();
                    assertThat(e.reason()).isEqualTo(Reason.RestoredFromLocalState);
                });
    }

    @Test
    void otherStatesAndOtherPhasesCallForNoEvent() {
        assertThat(NodeEventRules.fromConverge(List.of(
                        state("a", BundlePhase.Active, "Proven", "proven"),
                        state("b", BundlePhase.Failed, "Drifted", "not Active: the failure is the status's news"),
                        state("c", BundlePhase.Degraded, "UnitFailed", "unit failed"),
                        state(null, BundlePhase.Active, "Drifted", "no name"))))
                .isEmpty();
    }

    @Test
    void onlyAPlannedRestartIsAnEventWhileTheHostWorks() {
        assertThat(NodeEventRules.fromProgress("demo", "2", Reason.RestartPlanned, "restart demo.service"))
                .hasValueSatisfying(e -> {
                    assertThat(e.reason()).isEqualTo(Reason.RestartPlanned);
                    assertThat(e.warning()).isFalse();
                    assertThat(e.message()).isEqualTo("bundle demo version 2: restart demo.service");
                });
        assertThat(NodeEventRules.fromProgress("demo", "2", Reason.Fetching, "fetching"))
                .isEmpty();
        assertThat(NodeEventRules.fromProgress("demo", "2", Reason.Verified, "verified"))
                .isEmpty();
    }

    @Test
    void theFirstOfASeriesCreatesALaterOnePatchesTheCountUp() {
        assertThat(NodeEventRules.write(Optional.empty(), "n.x.y")).isEqualTo(new NodeEventRules.Create("n.x.y", 1));
        assertThat(NodeEventRules.write(
                        Optional.of(new NodeEventRules.Series("n.x.y", 4, "2026-12-03T10:00:00Z")), "other"))
                .isEqualTo(new NodeEventRules.Patch("n.x.y", 5, "2026-12-03T10:00:00Z"));
    }

    @Test
    void aSeriesHasOneStableNamePerAgentStartAndBundleAndReason() {
        var drift = new NodeEventRules.Key("demo", Reason.Drifted);
        String name = NodeEventRules.name("node-a", "abc", drift);
        assertThat(name).startsWith("node-a.abc.").isEqualTo(NodeEventRules.name("node-a", "abc", drift));
        assertThat(name)
                .isNotEqualTo(NodeEventRules.name("node-a", "abc", new NodeEventRules.Key("other", Reason.Drifted)))
                .isNotEqualTo(NodeEventRules.name(
                        "node-a", "abc", new NodeEventRules.Key("demo", Reason.RestoredFromLocalState)))
                .isNotEqualTo(NodeEventRules.name("node-a", "abd", drift));
        assertThat(name).matches("[a-z0-9.-]+");
        assertThat(NodeEventRules.name("n".repeat(253), "abc", drift)).hasSize(253);
    }

    @Test
    void onlyAnUnansweredOrBusyApiIsTriedAgain() {
        assertThat(NodeEventRules.retryLater(0)).as("no answer").isTrue();
        assertThat(NodeEventRules.retryLater(429)).isTrue();
        assertThat(NodeEventRules.retryLater(503)).isTrue();
        assertThat(NodeEventRules.retryLater(403))
                .as("RBAC or the admission policy")
                .isFalse();
        assertThat(NodeEventRules.retryLater(422)).isFalse();
        assertThat(NodeEventRules.startOverAfterPatch(404))
                .as("expired by the Event TTL")
                .isTrue();
        assertThat(NodeEventRules.startOverAfterPatch(403)).isFalse();
    }

    @Test
    void aLongMessageIsCutNotRefused() {
        assertThat(NodeEventRules.bounded("x".repeat(5000)))
                .hasSize(NodeEventRules.MAX_MESSAGE)
                .endsWith("...");
        assertThat(NodeEventRules.bounded("short")).isEqualTo("short");
    }
}
