package io.confext.agent.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which bundles' checks run, and when a pass is asked for; the checks' runs are given, the thread is not started. */
class HealthCheckTrackingTest {
    private static final ResolvedHealthCheck CHECK = new ResolvedHealthCheck(
            "healthy",
            new ResolvedHealthCheck.Exec(List.of("test", "-f", "/etc/demo/healthy"), true, "demo.service"),
            null,
            1,
            1,
            2);

    private final List<CheckRun> results = new ArrayList<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger passesAsked = new AtomicInteger();
    private Instant now = Instant.parse("2026-12-02T10:00:00Z");

    private HealthChecks checks() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        HealthChecks hc = new HealthChecks(
                c -> {
                    runs.incrementAndGet();
                    return results.isEmpty() ? CheckRun.pass("exit status 0") : results.remove(0);
                },
                clock);
        hc.start(passesAsked::incrementAndGet);
        hc.close(); // the ticks are driven by the test
        return hc;
    }

    private static DesiredBundleContent desired(String digest, List<ResolvedHealthCheck> checks) {
        RevisionContent c = new RevisionContent(
                "2.0",
                Scope.Service,
                List.of("demo.service"),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("demo/demo.conf", "version=2.0\n", "0644"))),
                null,
                ReloadMode.Reload,
                0,
                checks);
        return new DesiredBundleContent("demo", "demo-2", digest, false, c, 60);
    }

    private static BundleState state(BundlePhase phase, String active) {
        BundleState s = new BundleState();
        s.setName("demo");
        s.setPhase(phase);
        s.setActiveVersion(active);
        return s;
    }

    @Test
    void aProvenBundlesChecksRunEveryPeriodAndAPassIsAskedWhenOneStartsAndStopsFailing() {
        HealthChecks hc = checks();
        hc.track(List.of(desired("sha256:a", List.of(CHECK))), List.of(state(BundlePhase.Active, "2.0")));
        results.addAll(List.of(CheckRun.fail("exit status 1"), CheckRun.fail("exit status 1")));
        hc.runDue();
        hc.runDue();
        assertThat(runs).as("once per period").hasValue(1);
        assertThat(hc.failing("demo", "sha256:a")).isEmpty();
        now = now.plusSeconds(1);
        hc.runDue();
        assertThat(hc.failing("demo", "sha256:a"))
                .map(HealthCheckRules.Failure::check)
                .contains("healthy");
        assertThat(hc.failing("demo", "sha256:b")).as("another revision").isEmpty();
        assertThat(passesAsked).hasValue(1);
        now = now.plusSeconds(1);
        hc.runDue();
        assertThat(hc.failing("demo", "sha256:a")).isEmpty();
        assertThat(passesAsked).as("passing again is news too").hasValue(2);
    }

    @Test
    void aBundleOnItsWayFailedOrWithoutChecksIsNotChecked() {
        HealthChecks hc = checks();
        hc.track(List.of(desired("sha256:a", List.of(CHECK))), List.of(state(BundlePhase.Verified, "1.0")));
        hc.runDue();
        hc.track(List.of(desired("sha256:a", List.of(CHECK))), List.of(state(BundlePhase.RolledBack, "1.0")));
        hc.runDue();
        hc.track(List.of(desired("sha256:a", List.of())), List.of(state(BundlePhase.Active, "2.0")));
        hc.runDue();
        assertThat(runs).hasValue(0);
    }

    @Test
    void aNewRevisionStartsFromZeroAndTheSameOneKeepsItsCount() {
        HealthChecks hc = checks();
        hc.track(List.of(desired("sha256:a", List.of(CHECK))), List.of(state(BundlePhase.Active, "2.0")));
        results.addAll(List.of(CheckRun.fail("1"), CheckRun.fail("2")));
        hc.runDue();
        now = now.plusSeconds(1);
        hc.runDue();
        assertThat(hc.failing("demo", "sha256:a")).isPresent();
        hc.track(List.of(desired("sha256:a", List.of(CHECK))), List.of(state(BundlePhase.Degraded, "2.0")));
        assertThat(hc.failing("demo", "sha256:a"))
                .as("Degraded for it: still counted")
                .isPresent();
        hc.track(List.of(desired("sha256:b", List.of(CHECK))), List.of(state(BundlePhase.Active, "2.0")));
        assertThat(hc.failing("demo", "sha256:b")).isEmpty();
        hc.track(List.of(), List.of());
        assertThat(hc.failing("demo", "sha256:b")).as("removed").isEmpty();
    }
}
