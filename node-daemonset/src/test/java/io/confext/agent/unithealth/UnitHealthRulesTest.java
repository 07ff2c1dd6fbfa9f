package io.confext.agent.unithealth;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitHealthRulesTest {
    private static final String U = "demo.service";
    private static final Instant PROVEN = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);

    private static UnitHealthRules.Observed running(long pid, String sees) {
        return new UnitHealthRules.Observed(U, "active", "running", pid, "success", 0, sees, false);
    }

    private static UnitHealthRules.Observed killed() {
        return new UnitHealthRules.Observed(U, "failed", "failed", 0, "signal", 9, null, false);
    }

    private static HealthVerdict judge(
            BundlePhase phase, String reason, long recordedPid, UnitHealthRules.Observed o, Instant now) {
        return UnitHealthRules.judge(new UnitHealthRules.Input(
                phase,
                reason,
                "2.0",
                Duration.between(PROVEN, now),
                WINDOW,
                List.of(new UnitHealthRules.Recorded(U, recordedPid)),
                List.of(o)));
    }

    private static HealthVerdict active(UnitHealthRules.Observed o, Instant now) {
        return judge(BundlePhase.Active, "Proven", 100, o, now);
    }

    @Test
    void aHealthyUnitChangesNothing() {
        assertThat(active(running(100, "2.0"), PROVEN.plusSeconds(5))).isInstanceOf(HealthVerdict.Unchanged.class);
        assertThat(active(running(100, "2.0"), PROVEN.plusSeconds(500))).isInstanceOf(HealthVerdict.Unchanged.class);
    }

    @Test
    void aLossInsideTheWindowFailsTheVersionAndSaysHowTheUnitEnded() {
        HealthVerdict v = active(killed(), PROVEN.plusSeconds(10));
        assertThat(v).isInstanceOf(HealthVerdict.FailedInWindow.class);
        HealthVerdict.FailedInWindow f = (HealthVerdict.FailedInWindow) v;
        assertThat(f.reason()).isEqualTo("UnitFailed");
        assertThat(f.message())
                .contains("killed by signal 9 (KILL)")
                .contains("10s after the activation")
                .contains("minReadySeconds (30s)");
    }

    @Test
    void aLossAfterTheWindowIsDegraded() {
        HealthVerdict v = active(killed(), PROVEN.plusSeconds(30));
        assertThat(v).isInstanceOf(HealthVerdict.Degraded.class);
        assertThat(((HealthVerdict.Degraded) v).reason()).isEqualTo("UnitFailed");
        assertThat(((HealthVerdict.Degraded) v).mainPids()).containsEntry(U, 0L);
    }

    @Test
    void withoutAWindowEveryLossIsDegraded() {
        HealthVerdict v = UnitHealthRules.judge(new UnitHealthRules.Input(
                BundlePhase.Active,
                "Proven",
                "2.0",
                Duration.between(PROVEN, PROVEN),
                Duration.ZERO,
                List.of(new UnitHealthRules.Recorded(U, 100)),
                List.of(killed())));
        assertThat(v).isInstanceOf(HealthVerdict.Degraded.class);
    }

    @Test
    void eachKindOfLossHasItsReason() {
        Instant late = PROVEN.plusSeconds(60);
        assertThat(((HealthVerdict.Degraded) active(
                                new UnitHealthRules.Observed(U, "inactive", "dead", 0, "success", 0, null, false),
                                late))
                        .reason())
                .isEqualTo("UnitStopped");
        assertThat(((HealthVerdict.Degraded) active(
                                new UnitHealthRules.Observed(U, "failed", "failed", 0, "exit-code", 3, null, false),
                                late))
                        .message())
                .contains("exited with status 3");
        assertThat(((HealthVerdict.Degraded) active(
                                new UnitHealthRules.Observed(
                                        U, "activating", "auto-restart", 0, "exit-code", 1, null, false),
                                late))
                        .reason())
                .isEqualTo("UnitFailed");
        HealthVerdict.Degraded restarted = (HealthVerdict.Degraded) active(running(200, "2.0"), late);
        assertThat(restarted.reason()).isEqualTo("UnitRestarted");
        assertThat(restarted.message()).contains("pid 200").contains("not pid 100");
        HealthVerdict.Degraded lost = (HealthVerdict.Degraded) active(running(100, "1.0"), late);
        assertThat(lost.reason()).isEqualTo("UnitNoLongerSees");
        assertThat(lost.message()).contains("sees 1.0");
    }

    @Test
    void aRestartByTheAgentForAnotherBundleIsNoLoss() {
        // bundle B's activation restarted the unit as pid 200 and proved it; this bundle's record still says pid 100
        HealthVerdict v = UnitHealthRules.judge(new UnitHealthRules.Input(
                BundlePhase.Active,
                "Proven",
                "2.0",
                Duration.between(PROVEN, PROVEN.plusSeconds(5)),
                WINDOW,
                List.of(new UnitHealthRules.Recorded(U, 100, java.util.Set.of(200L))),
                List.of(running(200, "2.0"))));
        assertThat(v).isInstanceOf(HealthVerdict.Unchanged.class);
        HealthVerdict other = UnitHealthRules.judge(new UnitHealthRules.Input(
                BundlePhase.Active,
                "Proven",
                "2.0",
                Duration.between(PROVEN, PROVEN.plusSeconds(5)),
                WINDOW,
                List.of(new UnitHealthRules.Recorded(U, 100, java.util.Set.of(200L))),
                List.of(running(300, "2.0"))));
        assertThat(other).as("a PID nobody proved is a restart").isInstanceOf(HealthVerdict.FailedInWindow.class);
    }

    @Test
    void anImageWhoseReleaseNamesNoVersionIsJudgedByPresence() {
        assertThat(active(running(100, UnitHealthRules.UNNAMED_VERSION), PROVEN.plusSeconds(60)))
                .isInstanceOf(HealthVerdict.Unchanged.class);
        assertThat(active(running(100, null), PROVEN.plusSeconds(60)))
                .as("gone entirely")
                .isInstanceOf(HealthVerdict.Degraded.class);
    }

    @Test
    void aUnitBeingReloadedWithoutMainPidOrAOneshotIsNotJudged() {
        assertThat(active(
                        new UnitHealthRules.Observed(U, "reloading", "reload", 0, "success", 0, null, false),
                        PROVEN.plusSeconds(60)))
                .isInstanceOf(HealthVerdict.Unchanged.class);
        assertThat(active(
                        new UnitHealthRules.Observed(U, "inactive", "dead", 0, "success", 0, null, true),
                        PROVEN.plusSeconds(60)))
                .isInstanceOf(HealthVerdict.NotWatched.class);
    }

    @Test
    void onlyActiveAndDegradedBundlesAreWatched() {
        for (BundlePhase p :
                List.of(BundlePhase.Pending, BundlePhase.Failed, BundlePhase.RolledBack, BundlePhase.Removed)) {
            assertThat(judge(p, "X", 100, killed(), PROVEN.plusSeconds(60)))
                    .as(p.name())
                    .isInstanceOf(HealthVerdict.NotWatched.class);
        }
    }

    @Test
    void degradedStaysUntilTheUnitRunsAgainThenRecoversAfterItStaysHealthy() {
        Instant degradedAt = PROVEN; // since = when it became Degraded
        assertThat(judge(BundlePhase.Degraded, "UnitFailed", 0, killed(), degradedAt.plusSeconds(100)))
                .as("still dead: nothing new")
                .isInstanceOf(HealthVerdict.Unchanged.class);
        HealthVerdict back =
                judge(BundlePhase.Degraded, "UnitFailed", 0, running(300, "2.0"), degradedAt.plusSeconds(100));
        assertThat(back)
                .as("runs again: a change is reported, the new pid recorded")
                .isInstanceOf(HealthVerdict.Degraded.class);
        assertThat(((HealthVerdict.Degraded) back).reason()).isEqualTo("UnitRestarted");
        assertThat(((HealthVerdict.Degraded) back).mainPids()).containsEntry(U, 300L);
        // recorded UnitRestarted with pid 300 at degradedAt: healthy under it for the wait -> Recovered
        assertThat(judge(BundlePhase.Degraded, "UnitRestarted", 300, running(300, "2.0"), degradedAt.plusSeconds(29)))
                .isInstanceOf(HealthVerdict.Unchanged.class);
        assertThat(judge(BundlePhase.Degraded, "UnitRestarted", 300, running(300, "2.0"), degradedAt.plusSeconds(30)))
                .isInstanceOf(HealthVerdict.Recovered.class);
        assertThat(judge(BundlePhase.Degraded, "UnitRestarted", 300, killed(), degradedAt.plusSeconds(30)))
                .as("died again: reported as such")
                .isInstanceOf(HealthVerdict.Degraded.class);
    }

    @Test
    void recoveryWaitsAtLeastTheFloorEvenWithoutAWindow() {
        assertThat(UnitHealthRules.recoveryWait(Duration.ZERO)).isEqualTo(UnitHealthRules.RECOVERY_AT_LEAST);
        assertThat(UnitHealthRules.recoveryWait(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(2));
    }
}
