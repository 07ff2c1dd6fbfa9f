package io.confext.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.operator.rollout.RolloutPlan;
import io.confext.operator.rollout.RolloutState;
import io.confext.testsupport.metrics.PrometheusText;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator's rollout meters as Prometheus scrapes them, fed plans as a pass would. */
class RolloutMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RolloutMetrics metrics = new RolloutMetrics(registry);

    private static RolloutPlan plan(
            RolloutState state, List<String> assigned, int targeted, int updated, int ready, boolean rollbackStarted) {
        return new RolloutPlan(
                state,
                List.of(),
                assigned,
                List.of(),
                targeted,
                updated,
                ready,
                ready,
                0,
                0,
                1,
                rollbackStarted,
                false,
                Instant.EPOCH,
                Optional.empty(),
                List.of());
    }

    private PrometheusText page() {
        return PrometheusText.parse(registry.scrape());
    }

    @Test
    void wavesProgressAndCompletionOfARollout() {
        metrics.waveStarted("chrony", 1); // with the node writes of the pass that assigned n0
        metrics.planned("chrony", plan(RolloutState.CANARY, List.of("n0"), 3, 1, 0, false), false, false);
        metrics.planned(
                "chrony", plan(RolloutState.CANARY, List.of(), 3, 1, 0, false), false, false); // waiting: no wave
        metrics.waveStarted("chrony", 2);
        metrics.planned("chrony", plan(RolloutState.PROGRESSING, List.of("n1", "n2"), 3, 3, 1, false), false, false);
        PrometheusText p = page();
        assertThat(p.value("confext_rollout_waves_started_total", "bundle", "chrony"))
                .isEqualTo(2);
        assertThat(p.value("confext_rollout_wave_nodes_total", "bundle", "chrony"))
                .isEqualTo(3);
        assertThat(p.value("confext_rollout_targeted_nodes", "bundle", "chrony"))
                .isEqualTo(3);
        assertThat(p.value("confext_rollout_updated_nodes", "bundle", "chrony")).isEqualTo(3);
        assertThat(p.value("confext_rollout_ready_nodes", "bundle", "chrony")).isEqualTo(1);
        assertThat(p.value("confext_rollout_state", "bundle", "chrony", "state", "PROGRESSING"))
                .isEqualTo(1);
        assertThat(p.sum("confext_rollout_state", "bundle", "chrony"))
                .as("one state at a time")
                .isEqualTo(1);

        metrics.planned("chrony", plan(RolloutState.COMPLETE, List.of(), 3, 3, 3, false), false, true);
        p = page();
        assertThat(p.value("confext_rollout_completions_total", "bundle", "chrony"))
                .isEqualTo(1);
        assertThat(p.value("confext_rollout_state", "bundle", "chrony", "state", "COMPLETE"))
                .isEqualTo(1);
        assertThat(p.value("confext_rollout_state", "bundle", "chrony", "state", "PROGRESSING"))
                .isZero();
        assertThat(p.value("confext_rollout_halts_total", "bundle", "chrony")).isZero();
        assertThat(p.value("confext_rollout_rollbacks_total", "bundle", "chrony"))
                .isZero();
    }

    @Test
    void haltsAndRollbacksAreCountedWhenTheyStart() {
        metrics.planned("sshd", plan(RolloutState.HALTED, List.of(), 4, 1, 0, false), true, false);
        metrics.planned("sshd", plan(RolloutState.HALTED, List.of(), 4, 1, 0, false), false, false); // still halted
        metrics.planned("ntp", plan(RolloutState.ROLLING_BACK, List.of(), 2, 0, 0, true), false, false);
        metrics.planned("ntp", plan(RolloutState.ROLLING_BACK, List.of(), 2, 0, 0, false), false, false);
        PrometheusText p = page();
        assertThat(p.value("confext_rollout_halts_total", "bundle", "sshd")).isEqualTo(1);
        assertThat(p.value("confext_rollout_rollbacks_total", "bundle", "ntp")).isEqualTo(1);
        assertThat(p.value("confext_rollout_rollbacks_total", "bundle", "sshd")).isZero();
    }

    @Test
    void nodePhasesAndForgettingABundle() {
        metrics.record("chrony", Map.of(RolloutMetrics.Phase.ACTIVE, 2, RolloutMetrics.Phase.FAILED, 1));
        metrics.planned("chrony", plan(RolloutState.HALTED, List.of(), 3, 3, 2, false), true, false);
        metrics.record("sshd", Map.of(RolloutMetrics.Phase.PENDING, 1));
        PrometheusText p = page();
        assertThat(p.value("confext_bundle_nodes", "bundle", "chrony", "phase", "ACTIVE"))
                .isEqualTo(2);
        assertThat(p.value("confext_bundle_nodes", "bundle", "chrony", "phase", "FAILED"))
                .isEqualTo(1);
        assertThat(p.value("confext_bundle_nodes", "bundle", "chrony", "phase", "PENDING"))
                .isZero();

        metrics.forget("chrony");
        p = page();
        assertThat(p.samples()).noneMatch(s -> "chrony".equals(s.labels().get("bundle")));
        assertThat(p.value("confext_bundle_nodes", "bundle", "sshd", "phase", "PENDING"))
                .isEqualTo(1);
        // a bundle created again under the name starts from nothing
        metrics.waveStarted("chrony", 1);
        metrics.planned("chrony", plan(RolloutState.CANARY, List.of("n0"), 1, 1, 0, false), false, false);
        PrometheusText again = page();
        assertThat(again.value("confext_rollout_waves_started_total", "bundle", "chrony"))
                .isEqualTo(1);
        assertThat(again.value("confext_rollout_targeted_nodes", "bundle", "chrony"))
                .as("the gauge reads the new values")
                .isEqualTo(1);
        assertThat(again.value("confext_rollout_state", "bundle", "chrony", "state", "CANARY"))
                .isEqualTo(1);
    }
}
