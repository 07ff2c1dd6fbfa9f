package io.confext.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.operator.rollout.Eligibility;
import io.confext.operator.rollout.NodePhase;
import io.confext.operator.rollout.NodeView;
import io.confext.operator.rollout.Observation;
import io.confext.operator.rollout.RevisionTarget;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannedRestartsTest {
    private static final RevisionTarget V1 = new RevisionTarget("demo-aaaa", "sha256:aa", "1");
    private static final RevisionTarget V0 = new RevisionTarget("demo-0000", "sha256:00", "0");

    private static NodeView node(String name, RevisionTarget r, String reason, String since) {
        return new NodeView(
                name,
                true,
                true,
                null,
                Eligibility.ELIGIBLE,
                new Observation(
                        NodePhase.PENDING,
                        r.name(),
                        r.digest(),
                        Instant.parse(since),
                        reason,
                        "restart demo.service: ..."),
                false);
    }

    @Test
    void eachRestartPlannedReportIsAnnouncedOnce() {
        PlannedRestarts p = new PlannedRestarts();
        NodeView a = node("a", V1, "RestartPlanned", "2026-12-03T10:00:00Z");
        NodeView b = node("b", V1, "Fetching", "2026-12-03T10:00:00Z");
        assertThat(p.fresh("demo", List.of(a, b), V1))
                .extracting(NodeView::name)
                .containsExactly("a");
        assertThat(p.fresh("demo", List.of(a, b), V1))
                .as("the same report again")
                .isEmpty();
        NodeView later = node("a", V1, "RestartPlanned", "2026-12-03T11:00:00Z");
        assertThat(p.fresh("demo", List.of(later), V1))
                .as("a new report of the same node")
                .extracting(NodeView::name)
                .containsExactly("a");
    }

    @Test
    void onlyReportsForTheTargetCount() {
        PlannedRestarts p = new PlannedRestarts();
        assertThat(p.fresh("demo", List.of(node("a", V0, "RestartPlanned", "2026-12-03T10:00:00Z")), V1))
                .isEmpty();
        assertThat(p.fresh("other", List.of(node("a", V1, "RestartPlanned", "2026-12-03T10:00:00Z")), V1))
                .hasSize(1);
    }
}
