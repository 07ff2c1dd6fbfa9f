package io.confext.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReconcileSpacingTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    @Test
    void theSpacingGrowsWithTheNodesPlannedBetweenItsBounds() {
        assertThat(ReconcileSpacing.after(0)).isEqualTo(Duration.ofMillis(50));
        assertThat(ReconcileSpacing.after(3)).isEqualTo(Duration.ofMillis(50));
        assertThat(ReconcileSpacing.after(60)).isEqualTo(Duration.ofMillis(300));
        assertThat(ReconcileSpacing.after(200)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ReconcileSpacing.after(5000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBundleWaitsForItsOwnSpacingOthersDoNot() {
        ReconcileSpacing spacing = new ReconcileSpacing();
        assertThat(spacing.waitBefore("a", T0)).as("never reconciled").isEmpty();

        spacing.ran("a", T0, 3);
        assertThat(spacing.waitBefore("a", T0.plusMillis(20))).contains(Duration.ofMillis(30));
        assertThat(spacing.waitBefore("a", T0.plusMillis(50))).isEmpty();
        spacing.ran("big", T0, 4000);
        assertThat(spacing.waitBefore("big", T0.plusMillis(400))).contains(Duration.ofMillis(600));
        spacing.ran("mid", T0, 100);
        assertThat(spacing.waitBefore("mid", T0.plusMillis(400))).contains(Duration.ofMillis(100));
        assertThat(spacing.waitBefore("b", T0)).isEmpty();

        spacing.forget("big");
        assertThat(spacing.waitBefore("big", T0.plusMillis(400))).isEmpty();
    }
}
