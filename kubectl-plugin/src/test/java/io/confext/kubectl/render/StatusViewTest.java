package io.confext.kubectl.render;

import static io.confext.kubectl.render.Fixtures.bundle;
import static io.confext.kubectl.render.Fixtures.condition;
import static io.confext.kubectl.render.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.NodeFailure;
import io.confext.api.v1alpha1.RolloutPolicy;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusViewTest {

    private static ConfextBundleStatus midRollout(long observed) {
        ConfextBundleStatus s = new ConfextBundleStatus();
        s.setObservedGeneration(observed);
        s.setCurrentVersion("1.0");
        s.setCurrentRevision("chrony-1111111111");
        s.setTargetVersion("2.0");
        s.setTargetRevision("chrony-2222222222");
        s.setTargeted(3);
        s.setUpdated(2);
        s.setReady(1);
        s.setFailed(1);
        s.setNotEligible(0);
        s.setConditions(List.of(
                condition("Available", "True", "StableVersionServing", "version 1.0 was fully rolled out"),
                condition("Progressing", "False", "Halted", "rollout halted: node-2 ReloadFailed")));
        NodeFailure f = new NodeFailure();
        f.setNode("node-2");
        f.setReason("ReloadFailed");
        f.setMessage("reload of chronyd.service failed");
        f.setSince("2026-12-03T10:00:00Z");
        s.setFailures(List.of(f));
        return s;
    }

    private static List<NodeReport> reports(List<ConfextNode> nodes) {
        return nodes.stream().flatMap(n -> NodeReport.of(n, "chrony").stream()).toList();
    }

    @Test
    void showsVersionsCountsTheWaveNodesByVersionAndPhaseAndTheFailures() {
        ConfextBundle b = bundle("chrony", "2.0", 4, midRollout(4));
        List<ConfextNode> nodes = List.of(
                node("node-0", "chrony", "2.0", "chrony-2222222222", BundlePhase.Active, "Proven"),
                node("node-2", "chrony", "2.0", "chrony-2222222222", BundlePhase.RolledBack, "ReloadFailed"),
                node("node-1", "chrony", "1.0", "chrony-1111111111", BundlePhase.Active, "Proven"));

        List<String> out = StatusView.render(b, reports(nodes));

        assertThat(out)
                .startsWith(
                        "Name:        chrony",
                        "Version:     2.0",
                        "Current:     1.0 (chrony-1111111111)",
                        "Target:      2.0 (chrony-2222222222)",
                        "Nodes:       3 targeted, 2 updated, 1 ready, 1 failed, 0 not eligible",
                        "Rollout:     Halted: rollout halted: node-2 ReloadFailed",
                        "",
                        "Nodes by version and phase:",
                        "  wants 1.0, Active (1): node-1",
                        "  wants 2.0, Active (1): node-0",
                        "  wants 2.0, RolledBack (1): node-2");
        assertThat(out)
                .containsSubsequence(
                        "Failures:",
                        "  NODE     REASON         SINCE                  MESSAGE",
                        "  node-2   ReloadFailed   2026-12-03T10:00:00Z   reload of chronyd.service failed");
        assertThat(out).containsSubsequence("Conditions:", "  TYPE          STATUS   REASON                 MESSAGE");
        assertThat(out).noneMatch(l -> l.startsWith("Note:"));
    }

    @Test
    void aNodeThatReportsAnotherRevisionThanItsEntryIsPendingAndPauseAndStaleStatusAreSaid() {
        ConfextBundle b = bundle("chrony", "3.0", 5, midRollout(4));
        b.getSpec().setRollout(new RolloutPolicy());
        b.getSpec().getRollout().setPaused(true);
        ConfextNode moving = node("node-0", "chrony", "3.0", "chrony-3333333333", BundlePhase.Active, "Proven");
        moving.getStatus().getBundles().get(0).setRevision("chrony-2222222222"); // the agent still reports the old one

        List<String> out = StatusView.render(b, reports(List.of(moving)));

        assertThat(out)
                .contains(
                        "Version:     3.0 (paused: spec.rollout.paused)",
                        "  wants 3.0, Pending (1): node-0",
                        "Note:        the status describes generation 4, the spec is generation 5: the operator has not acted on the"
                                + " latest change yet");
    }

    @Test
    void aBundleWithoutStatusOrNodesSaysSo() {
        List<String> out = StatusView.render(bundle("new", "1.0", 1, null), List.of());

        assertThat(out)
                .contains("Current:     (none)", "Rollout:     (not reported yet)", "  (no node has an entry for new)");
    }

    @Test
    void theWatchEndsOnlyWhenTheStatusDescribesTheSpecAndProgressingIsFalse() {
        ConfextBundleStatus done = midRollout(2);
        done.setConditions(List.of(condition("Progressing", "False", "RolloutComplete", "3 of 3 nodes ready")));
        assertThat(RolloutEnd.of(bundle("b", "2.0", 2, done)))
                .get()
                .satisfies(e -> assertThat(e.success()).isTrue());
        assertThat(RolloutEnd.of(bundle("b", "2.0", 3, done)))
                .as("status of an older generation")
                .isEmpty();

        assertThat(RolloutEnd.of(bundle("b", "2.0", 4, midRollout(4))))
                .get()
                .satisfies(e -> assertThat(e.success()).isFalse())
                .satisfies(e -> assertThat(e.reason()).isEqualTo("Halted"));

        ConfextBundleStatus running = midRollout(4);
        running.setConditions(List.of(condition("Progressing", "True", "WavesInProgress", "2 of 3")));
        assertThat(RolloutEnd.of(bundle("b", "2.0", 4, running))).isEqualTo(Optional.empty());
    }
}
