package io.confext.agent.unithealth;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.state.BootTime;
import io.confext.api.v1alpha1.BundlePhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent's health window (minReadySeconds from its proof) with an agent whose wall clock is off, or is set while
 * the window runs: the window is timed on the host's boot clock ({@link PhaseAge}), so neither changes what a unit
 * loss inside or after it means. The wall clock is a {@link Clock#offset} of the true time.
 */
class SkewedAgentClockTest {
    private static final String U = "demo.service";
    private static final Instant TRUE_PROOF = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final String BOOT = "3b9c0d1e-boot";
    /** The proof on the boot clock: 20 minutes after the host booted. */
    private static final BootTime PROOF_BOOT =
            new BootTime(BOOT, Duration.ofMinutes(20).toMillis());

    private static Clock agentClock(Instant trueNow, Duration offset) {
        return Clock.offset(Clock.fixed(trueNow, ZoneOffset.UTC), offset);
    }

    /** A unit killed {@code after} the proof (true time), with the agent's wall clock at the given offsets. */
    private static HealthVerdict killedAfter(Duration after, Duration offsetAtProof, Duration offsetNow) {
        String since = agentClock(TRUE_PROOF, offsetAtProof).instant().toString();
        Instant wallNow = agentClock(TRUE_PROOF.plus(after), offsetNow).instant();
        BootTime bootNow = new BootTime(BOOT, PROOF_BOOT.millis() + after.toMillis());
        Duration age = PhaseAge.of(since, PROOF_BOOT, bootNow, wallNow);
        return UnitHealthRules.judge(new UnitHealthRules.Input(
                BundlePhase.Active,
                "Proven",
                "2.0",
                age,
                WINDOW,
                List.of(new UnitHealthRules.Recorded(U, 100)),
                List.of(new UnitHealthRules.Observed(U, "failed", "failed", 0, "signal", 9, null, false))));
    }

    @Test
    void aClockThatIsOffEitherWayChangesNothing() {
        for (Duration off : List.of(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(-1), Duration.ofDays(-400))) {
            assertThat(killedAfter(Duration.ofSeconds(5), off, off))
                    .as("offset %s, 5 s after the proof", off)
                    .isInstanceOf(HealthVerdict.FailedInWindow.class);
            assertThat(killedAfter(Duration.ofSeconds(31), off, off))
                    .as("offset %s, 31 s after the proof", off)
                    .isInstanceOf(HealthVerdict.Degraded.class);
        }
    }

    @Test
    void aClockSetForwardInsideTheWindowDoesNotEndIt() {
        // chrony steps a clock that came up an hour behind, 2 s after the proof; the unit dies 5 s after the proof
        HealthVerdict v = killedAfter(Duration.ofSeconds(5), Duration.ofHours(-1), Duration.ZERO);
        assertThat(v).isInstanceOf(HealthVerdict.FailedInWindow.class);
        assertThat(((HealthVerdict.FailedInWindow) v).message()).contains("5s after the activation");
    }

    @Test
    void aClockSetBackDoesNotStretchTheWindow() {
        // the clock was an hour ahead at the proof and is corrected; the unit dies 40 s after the proof
        assertThat(killedAfter(Duration.ofSeconds(40), Duration.ofHours(1), Duration.ZERO))
                .isInstanceOf(HealthVerdict.Degraded.class);
    }

    @Test
    void withoutABootTimeTheWallClockIsTheFallback() {
        Instant proof = TRUE_PROOF;
        // a record written by an older agent: no boot time
        assertThat(PhaseAge.of(proof.toString(), null, PROOF_BOOT, proof.plusSeconds(12)))
                .isEqualTo(Duration.ofSeconds(12));
        // proven in another boot: its boot time says nothing about this one
        BootTime otherBoot = new BootTime("another-boot", 5_000);
        assertThat(PhaseAge.of(proof.toString(), otherBoot, PROOF_BOOT, proof.plusSeconds(12)))
                .isEqualTo(Duration.ofSeconds(12));
        // the boot clock unreadable now
        assertThat(PhaseAge.of(proof.toString(), PROOF_BOOT, null, proof.plusSeconds(12)))
                .isEqualTo(Duration.ofSeconds(12));
        assertThat(PhaseAge.of(proof.toString(), null, null, proof.minusSeconds(60)))
                .as("a since in the future is just now")
                .isEqualTo(Duration.ZERO);
        assertThat(PhaseAge.of(null, null, PROOF_BOOT, proof)).isNull();
        assertThat(PhaseAge.of("not a time", null, PROOF_BOOT, proof)).isNull();
    }

    @Test
    void theBootClockIsPreferredOverTheWallClock() {
        BootTime later = new BootTime(BOOT, PROOF_BOOT.millis() + 7_500);
        assertThat(PhaseAge.of(TRUE_PROOF.toString(), PROOF_BOOT, later, TRUE_PROOF.plus(Duration.ofDays(3))))
                .isEqualTo(Duration.ofMillis(7_500));
    }
}
