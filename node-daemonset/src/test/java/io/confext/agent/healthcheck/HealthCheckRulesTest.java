package io.confext.agent.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.unithealth.HealthVerdict;
import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.v1alpha1.BundlePhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthCheckRulesTest {
    private static final Instant PROVEN = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final ResolvedHealthCheck TRACKING = new ResolvedHealthCheck(
            "tracking",
            new ResolvedHealthCheck.Exec(List.of("chronyc", "tracking"), true, "chronyd.service"),
            null,
            1,
            10,
            3);
    private static final ResolvedHealthCheck METRICS =
            new ResolvedHealthCheck("metrics", null, new ResolvedHealthCheck.HttpGet(9100, "/metrics", false), 1, 5, 1);

    private static CheckTally runs(CheckRun... runs) {
        CheckTally t = CheckTally.NONE;
        Instant at = PROVEN;
        for (CheckRun r : runs) {
            t = HealthCheckRules.count(t, r, at);
            at = at.plusSeconds(10);
        }
        return t;
    }

    private static HealthCheckRules.Bundle bundle(BundlePhase phase, String reason, Instant now) {
        return new HealthCheckRules.Bundle(
                phase,
                reason,
                Duration.between(PROVEN, now),
                WINDOW,
                Map.of("chronyd.service", 42L),
                "chronyd.service");
    }

    private static Optional<HealthCheckRules.Failure> trackingFails() {
        return HealthCheckRules.firstFailing(
                List.of(TRACKING),
                Map.of(
                        "tracking",
                        runs(
                                CheckRun.fail("x"),
                                CheckRun.fail("x"),
                                CheckRun.fail("exit status 1: 506 Cannot talk to daemon"))));
    }

    @Test
    void aCheckFailsOnlyAfterFailureThresholdFailuresInARow() {
        assertThat(HealthCheckRules.failing(TRACKING, runs(CheckRun.fail("a"), CheckRun.fail("b"))))
                .isFalse();
        assertThat(HealthCheckRules.failing(TRACKING, runs(CheckRun.fail("a"), CheckRun.fail("b"), CheckRun.fail("c"))))
                .isTrue();
        assertThat(HealthCheckRules.failing(
                        TRACKING,
                        runs(
                                CheckRun.fail("a"),
                                CheckRun.fail("b"),
                                CheckRun.pass("ok"),
                                CheckRun.fail("c"),
                                CheckRun.fail("d"))))
                .as("a pass in between starts the count again")
                .isFalse();
        assertThat(HealthCheckRules.failing(METRICS, runs(CheckRun.fail("HTTP 500"))))
                .as("threshold 1")
                .isTrue();
        assertThat(HealthCheckRules.failing(TRACKING, CheckTally.NONE))
                .as("not run yet")
                .isFalse();
    }

    @Test
    void onePassClearsAFailingCheck() {
        CheckTally t = runs(CheckRun.fail("a"), CheckRun.fail("b"), CheckRun.fail("c"), CheckRun.pass("exit status 0"));
        assertThat(HealthCheckRules.failing(TRACKING, t)).isFalse();
        assertThat(t.failuresInARow()).isZero();
    }

    @Test
    void aCheckIsDueEveryPeriodFromItsLastRun() {
        assertThat(HealthCheckRules.due(TRACKING, CheckTally.NONE, PROVEN))
                .as("first run at once")
                .isTrue();
        CheckTally ran = HealthCheckRules.count(CheckTally.NONE, CheckRun.pass("ok"), PROVEN);
        assertThat(HealthCheckRules.due(TRACKING, ran, PROVEN.plusSeconds(9))).isFalse();
        assertThat(HealthCheckRules.due(TRACKING, ran, PROVEN.plusSeconds(10))).isTrue();
        assertThat(HealthCheckRules.due(TRACKING, ran, PROVEN.minusSeconds(3600)))
                .as("the agent's clock was set back an hour: the check does not pause for an hour")
                .isTrue();
    }

    @Test
    void theFailureNamesTheCheckWhatItDoesAndHowItEnded() {
        HealthCheckRules.Failure f = trackingFails().orElseThrow();
        assertThat(f.check()).isEqualTo("tracking");
        assertThat(f.unit()).isEqualTo("chronyd.service");
        assertThat(f.message())
                .isEqualTo("health check tracking (exec [chronyc tracking] in chronyd.service) failed 3 times"
                        + " in a row: exit status 1: 506 Cannot talk to daemon");
    }

    @Test
    void theFirstFailingCheckInTheBundlesOrderIsReported() {
        var f = HealthCheckRules.firstFailing(
                List.of(TRACKING, METRICS),
                Map.of("tracking", runs(CheckRun.fail("a")), "metrics", runs(CheckRun.fail("HTTP 503: starting"))));
        assertThat(f).map(HealthCheckRules.Failure::check).contains("metrics");
        assertThat(f.orElseThrow().message()).endsWith("failed 1 time: HTTP 503: starting");
        assertThat(f.orElseThrow().unit()).as("a GET names no unit").isNull();
    }

    @Test
    void longOutputIsCutToItsTailOnOneLine() {
        String out = "exit status 2: " + "x".repeat(1000) + "\nthe last line";
        String tail = HealthCheckRules.tail(out);
        assertThat(tail).startsWith("...").endsWith("x | the last line").doesNotContain("\n");
        assertThat(tail).hasSize(HealthCheckRules.TAIL_CHARACTERS + 3);
    }

    @Test
    void aFailingCheckInsideTheWindowFailsTheVersion() {
        HealthVerdict v = HealthCheckRules.combine(
                new HealthVerdict.Unchanged(),
                trackingFails(),
                bundle(BundlePhase.Active, "Proven", PROVEN.plusSeconds(30)));
        assertThat(v).isInstanceOf(HealthVerdict.FailedInWindow.class);
        HealthVerdict.FailedInWindow f = (HealthVerdict.FailedInWindow) v;
        assertThat(f.reason()).isEqualTo("HealthCheckFailed");
        assertThat(f.unit()).isEqualTo("chronyd.service");
        assertThat(f.message())
                .contains("health check tracking")
                .contains("506 Cannot talk to daemon")
                .contains("30s after the activation, within minReadySeconds (60s)");
    }

    @Test
    void aFailingCheckAfterTheWindowIsDegradedAndKeepsTheRecordedPids() {
        HealthVerdict v = HealthCheckRules.combine(
                new HealthVerdict.Unchanged(),
                trackingFails(),
                bundle(BundlePhase.Active, "Proven", PROVEN.plus(WINDOW)));
        assertThat(v).isInstanceOf(HealthVerdict.Degraded.class);
        HealthVerdict.Degraded d = (HealthVerdict.Degraded) v;
        assertThat(d.reason()).isEqualTo("HealthCheckFailed");
        assertThat(d.mainPids()).as("no restart is seen on the next look").containsEntry("chronyd.service", 42L);
    }

    @Test
    void withoutAWindowAFailingCheckIsDegraded() {
        var b = new HealthCheckRules.Bundle(BundlePhase.Active, "Proven", Duration.ZERO, Duration.ZERO, Map.of(), null);
        HealthVerdict v = HealthCheckRules.combine(new HealthVerdict.NotWatched(), trackingFails(), b);
        assertThat(v)
                .as("a host-scope bundle without watched units is judged too")
                .isInstanceOf(HealthVerdict.Degraded.class);
    }

    @Test
    void aUnitsOwnLossComesFirst() {
        HealthVerdict unitFailed =
                new HealthVerdict.FailedInWindow("chronyd.service", "UnitFailed", "killed by signal 9");
        assertThat(HealthCheckRules.combine(
                        unitFailed, trackingFails(), bundle(BundlePhase.Active, "Proven", PROVEN.plusSeconds(5))))
                .isSameAs(unitFailed);
        HealthVerdict degraded = new HealthVerdict.Degraded("chronyd.service", "UnitStopped", "stopped", Map.of());
        assertThat(HealthCheckRules.combine(
                        degraded, trackingFails(), bundle(BundlePhase.Active, "Proven", PROVEN.plusSeconds(500))))
                .isSameAs(degraded);
    }

    @Test
    void passingChecksLeaveTheUnitsVerdict() {
        HealthVerdict recovered = new HealthVerdict.Recovered();
        assertThat(HealthCheckRules.combine(
                        recovered,
                        Optional.empty(),
                        bundle(BundlePhase.Degraded, "HealthCheckFailed", PROVEN.plusSeconds(500))))
                .isSameAs(recovered);
        HealthVerdict unchanged = new HealthVerdict.Unchanged();
        assertThat(HealthCheckRules.combine(
                        unchanged, Optional.empty(), bundle(BundlePhase.Active, "Proven", PROVEN.plusSeconds(5))))
                .isSameAs(unchanged);
    }

    @Test
    void aBundleDegradedByItsCheckStaysSoWhileTheCheckFails() {
        HealthVerdict v = HealthCheckRules.combine(
                new HealthVerdict.Recovered(),
                trackingFails(),
                bundle(BundlePhase.Degraded, "HealthCheckFailed", PROVEN.plusSeconds(500)));
        assertThat(v)
                .as("no Recovered while the check fails, no new since")
                .isInstanceOf(HealthVerdict.Unchanged.class);
    }

    @Test
    void aUnitThatRecoveredWhileTheCheckFailsLeavesTheBundleDegradedForTheCheck() {
        HealthVerdict v = HealthCheckRules.combine(
                new HealthVerdict.Recovered(),
                trackingFails(),
                bundle(BundlePhase.Degraded, "UnitRestarted", PROVEN.plusSeconds(500)));
        assertThat(v).isInstanceOf(HealthVerdict.Degraded.class);
        assertThat(((HealthVerdict.Degraded) v).reason()).isEqualTo("HealthCheckFailed");
        HealthVerdict stillUnit = HealthCheckRules.combine(
                new HealthVerdict.Unchanged(),
                trackingFails(),
                bundle(BundlePhase.Degraded, "UnitFailed", PROVEN.plusSeconds(500)));
        assertThat(stillUnit).as("the unit's reason stands").isInstanceOf(HealthVerdict.Unchanged.class);
    }

    @Test
    void bundlesThatAreNotProvenAreNotJudged() {
        HealthVerdict none = new HealthVerdict.NotWatched();
        assertThat(HealthCheckRules.combine(
                        none, trackingFails(), bundle(BundlePhase.RolledBack, "UnitFailed", PROVEN.plusSeconds(5))))
                .isSameAs(none);
    }
}
