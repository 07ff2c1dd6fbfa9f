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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which bundles' checks run, and when a pass is asked for; the checks' runs are given, the thread is not started. */
class HealthCheckTrackingTest {
    /** Fails after 3 runs in a row, every second. */
    private static final ResolvedHealthCheck THREE = new ResolvedHealthCheck(
            "healthy",
            new ResolvedHealthCheck.Exec(List.of("test", "-f", "/etc/demo/healthy"), true, "demo.service"),
            null,
            1,
            1,
            3);

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
        return checks(null);
    }

    /** @param kept where the counts outlive the instance (null: nowhere); a new instance is an agent restart */
    private HealthChecks checks(KeptCountsFile kept) {
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
                clock,
                kept);
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

    private void failingRuns(HealthChecks hc, int n) {
        for (int i = 0; i < n; i++) {
            results.add(CheckRun.fail("exit status 1: run " + (runs.get() + 1)));
            hc.runDue();
            now = now.plusSeconds(1);
        }
    }

    @Test
    void aRestartGoesOnCountingFromWhereTheCheckWas(@TempDir Path state) {
        KeptCountsFile kept = new KeptCountsFile(() -> state.resolve("health-checks.json"));
        List<DesiredBundleContent> desired = List.of(desired("sha256:a", List.of(THREE)));
        List<BundleState> active = List.of(state(BundlePhase.Active, "2.0"));
        HealthChecks before = checks(kept);
        before.track(desired, active);
        failingRuns(before, 2);
        assertThat(before.failing("demo", "sha256:a")).as("2 of 3").isEmpty();
        before.close();

        HealthChecks after = checks(kept); // the agent restarted
        after.track(desired, active);
        assertThat(after.failing("demo", "sha256:a")).as("nothing new run yet").isEmpty();
        failingRuns(after, 1);
        assertThat(after.failing("demo", "sha256:a"))
                .as("the third failure in a row, one of them after the restart")
                .hasValueSatisfying(f -> assertThat(f.message())
                        .contains("failed 3 times in a row")
                        .contains("run 3"));
    }

    @Test
    void aCheckFailingWhenTheAgentStoppedFailsAtOnceAfterItAndAPassIsAsked(@TempDir Path state) {
        KeptCountsFile kept = new KeptCountsFile(() -> state.resolve("health-checks.json"));
        List<DesiredBundleContent> desired = List.of(desired("sha256:a", List.of(THREE)));
        List<BundleState> active = List.of(state(BundlePhase.Active, "2.0"));
        HealthChecks before = checks(kept);
        before.track(desired, active);
        failingRuns(before, 5);
        assertThat(before.failing("demo", "sha256:a")).isPresent();
        int asked = passesAsked.get();

        HealthChecks after = checks(kept);
        after.track(desired, active);
        assertThat(after.failing("demo", "sha256:a"))
                .as("failing before any run of the new agent")
                .hasValueSatisfying(f -> assertThat(f.message()).contains("failed 3 times in a row"));
        assertThat(passesAsked.get())
                .as("the pass that tracked it judged without the counts: another is asked for")
                .isGreaterThan(asked);
        results.add(CheckRun.pass("exit status 0"));
        after.runDue();
        assertThat(after.failing("demo", "sha256:a")).as("one pass clears it").isEmpty();
        assertThat(checks(kept).failing("demo", "sha256:a")).isEmpty();
        HealthChecks third = checks(kept);
        third.track(desired, active);
        assertThat(third.failing("demo", "sha256:a"))
                .as("the pass was kept too")
                .isEmpty();
    }

    @Test
    void keptCountsAreForOneRevisionAndOnlyForBundlesStillWanted(@TempDir Path state) {
        KeptCountsFile kept = new KeptCountsFile(() -> state.resolve("health-checks.json"));
        List<BundleState> active = List.of(state(BundlePhase.Active, "2.0"));
        HealthChecks before = checks(kept);
        before.track(List.of(desired("sha256:a", List.of(THREE))), active);
        failingRuns(before, 3);
        assertThat(before.failing("demo", "sha256:a")).isPresent();

        HealthChecks newRevision = checks(kept);
        newRevision.track(List.of(desired("sha256:b", List.of(THREE))), active);
        assertThat(newRevision.failing("demo", "sha256:b"))
                .as("another revision counts from zero")
                .isEmpty();

        HealthChecks again = checks(kept);
        again.track(List.of(desired("sha256:a", List.of(THREE))), active);
        assertThat(again.failing("demo", "sha256:a"))
                .as("the counts for sha256:a were dropped when sha256:b was wanted")
                .isEmpty();
    }

    @Test
    void aFileThatCannotBeReadCountsFromZero(@TempDir Path state) throws Exception {
        Path f = java.nio.file.Files.writeString(state.resolve("health-checks.json"), "{not json");
        HealthChecks hc = checks(new KeptCountsFile(() -> f));
        hc.track(List.of(desired("sha256:a", List.of(THREE))), List.of(state(BundlePhase.Active, "2.0")));
        assertThat(hc.failing("demo", "sha256:a")).isEmpty();
        failingRuns(hc, 3);
        assertThat(hc.failing("demo", "sha256:a"))
                .as("and the file is written anew")
                .isPresent();
        assertThat(java.nio.file.Files.readString(f)).contains("sha256:a");
    }

    @Test
    void aCheckThatGoesOnFailingDoesNotRewriteTheFile(@TempDir Path state) throws Exception {
        Path f = state.resolve("health-checks.json");
        HealthChecks hc = checks(new KeptCountsFile(() -> f));
        hc.track(List.of(desired("sha256:a", List.of(THREE))), List.of(state(BundlePhase.Active, "2.0")));
        failingRuns(hc, 3);
        java.nio.file.attribute.FileTime written = java.nio.file.Files.getLastModifiedTime(f);
        String content = java.nio.file.Files.readString(f);
        java.nio.file.Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(0));
        failingRuns(hc, 4);
        assertThat(java.nio.file.Files.getLastModifiedTime(f).toMillis())
                .as("capped at failureThreshold: nothing new to keep (was %s)", written)
                .isZero();
        assertThat(java.nio.file.Files.readString(f)).isEqualTo(content);
    }
}
