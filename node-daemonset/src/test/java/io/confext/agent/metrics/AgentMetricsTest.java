package io.confext.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.testsupport.metrics.PrometheusText;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent's meters as Prometheus scrapes them: names, labels, and a failure counted once per content and reason. */
class AgentMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AgentMetrics metrics = new AgentMetrics(registry);

    private PrometheusText page() {
        return PrometheusText.parse(registry.scrape());
    }

    private static BundleState state(String name, BundlePhase phase, String reason, String digest) {
        BundleState s = new BundleState();
        s.setName(name);
        s.setPhase(phase);
        s.setReason(reason);
        s.setDigest(digest);
        return s;
    }

    @Test
    void activationsAndVerificationsAreTimedByResultAndTheBytesAdded() {
        metrics.activated("chrony", true, Duration.ofMillis(1500));
        metrics.activated("chrony", true, Duration.ofMillis(500));
        metrics.activated("chrony", false, Duration.ofMillis(250));
        metrics.verified("sshd", true, Duration.ofMillis(200), 4096);
        metrics.verified("sshd", false, Duration.ofMillis(100), 1024);

        PrometheusText p = page();
        assertThat(p.value("confext_agent_activation_seconds_count", "bundle", "chrony", "result", "proven"))
                .isEqualTo(2);
        assertThat(p.value("confext_agent_activation_seconds_sum", "bundle", "chrony", "result", "proven"))
                .isEqualTo(2.0);
        assertThat(p.value("confext_agent_activation_seconds_count", "bundle", "chrony", "result", "failed"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_verification_seconds_count", "bundle", "sshd", "result", "accepted"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_verification_seconds_count", "bundle", "sshd", "result", "refused"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_verified_bytes_total", "bundle", "sshd"))
                .isEqualTo(5120);
    }

    @Test
    void aFailureIsCountedOnceForItsContentAndReasonNotOnEveryResyncThatKeepsIt() {
        List<BundleState> failed = List.of(state("chrony", BundlePhase.Failed, "VerityRootHashMismatch", "sha256:a"));
        metrics.converged(failed, List.of("chrony"));
        metrics.converged(failed, List.of("chrony"));
        assertThat(page().value("confext_agent_failures_total", "bundle", "chrony", "reason", "VerityRootHashMismatch"))
                .isEqualTo(1);

        // other content failing for the same reason is another failure; so is the same content failing anew
        metrics.converged(
                List.of(state("chrony", BundlePhase.Failed, "VerityRootHashMismatch", "sha256:b")), List.of("chrony"));
        metrics.converged(List.of(state("chrony", BundlePhase.Active, "Proven", "sha256:c")), List.of("chrony"));
        metrics.converged(
                List.of(state("chrony", BundlePhase.RolledBack, "ReloadFailed", "sha256:d")), List.of("chrony"));
        metrics.converged(List.of(state("chrony", BundlePhase.Degraded, "UnitFailed", "sha256:d")), List.of("chrony"));
        PrometheusText p = page();
        assertThat(p.value("confext_agent_failures_total", "bundle", "chrony", "reason", "VerityRootHashMismatch"))
                .isEqualTo(2);
        assertThat(p.value("confext_agent_failures_total", "bundle", "chrony", "reason", "ReloadFailed"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_failures_total", "bundle", "chrony", "reason", "UnitFailed"))
                .isEqualTo(1);
        assertThat(p.find("confext_agent_failures_total", "reason", "Proven"))
                .as("an Active bundle is no failure")
                .isEmpty();
    }

    @Test
    void versionGaugesFollowTheHostAndLeaveWithTheBundle() {
        metrics.versions("chrony", 2, 1);
        metrics.versions("sshd", 1, 0);
        metrics.driftRepaired("chrony");
        PrometheusText p = page();
        assertThat(p.value("confext_agent_versions_kept", "bundle", "chrony")).isEqualTo(2);
        assertThat(p.value("confext_agent_versions_quarantined", "bundle", "chrony"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_drift_repairs_total", "bundle", "chrony"))
                .isEqualTo(1);

        metrics.versions("chrony", 3, 1);
        metrics.converged(List.of(), List.of("chrony"));
        p = page();
        assertThat(p.value("confext_agent_versions_kept", "bundle", "chrony")).isEqualTo(3);
        assertThat(p.find("confext_agent_versions_kept", "bundle", "sshd"))
                .as("sshd is no longer wanted here")
                .isEmpty();
        assertThat(p.find("confext_agent_versions_quarantined", "bundle", "sshd"))
                .isEmpty();

        // wanted again: the gauge is back and reads the new value
        metrics.versions("sshd", 2, 1);
        assertThat(page().value("confext_agent_versions_kept", "bundle", "sshd"))
                .isEqualTo(2);
        assertThat(page().value("confext_agent_versions_quarantined", "bundle", "sshd"))
                .isEqualTo(1);
    }
}
