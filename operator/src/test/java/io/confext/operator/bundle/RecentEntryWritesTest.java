package io.confext.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.operator.rollout.Assignment;
import io.confext.operator.rollout.NodeView;
import io.confext.operator.rollout.RevisionTarget;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEntryWritesTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    private static final Assignment V1 = new Assignment(new RevisionTarget("b-1", "sha256:1", "1"), false);
    private static final Assignment V2 = new Assignment(new RevisionTarget("b-2", "sha256:2", "2"), false);

    @Test
    void aWriteTheCacheDoesNotShowYetIsPlannedAsWritten() {
        RecentEntryWrites recent = new RecentEntryWrites();
        recent.wrote("b", "n1", V2, T0);

        List<NodeView> stale = List.of(view("n1", V1), view("n2", V1));
        List<NodeView> planned = recent.overlay("b", stale, T0.plusMillis(100));

        assertThat(planned.get(0).desired()).isEqualTo(V2);
        assertThat(planned.get(1)).isEqualTo(stale.get(1));
        assertThat(recent.overlay("other", stale, T0.plusMillis(100)))
                .as("per bundle")
                .isEqualTo(stale);
    }

    @Test
    void onceTheCacheShowsTheWriteOrAfterTheHoldTheCacheIsTrusted() {
        RecentEntryWrites recent = new RecentEntryWrites();
        recent.wrote("b", "n1", V2, T0);
        recent.wrote("b", "n2", V2, T0);

        List<NodeView> caughtUp = List.of(view("n1", V2), view("n2", V1));
        recent.overlay("b", caughtUp, T0.plusMillis(100));
        // n1 caught up and is no longer held: a later change of its entry by someone else shows
        assertThat(recent.overlay("b", List.of(view("n1", null)), T0.plusMillis(200))
                        .get(0)
                        .desired())
                .isNull();

        recent.wrote("b", "n2", V2, T0);
        List<NodeView> later = recent.overlay("b", List.of(view("n2", V1)), T0.plus(RecentEntryWrites.HOLD));
        assertThat(later.get(0).desired()).as("held no longer than HOLD").isEqualTo(V1);
    }

    private static NodeView view(String name, Assignment desired) {
        return new NodeView(name, true, true, desired, null);
    }
}
