package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.unithealth.UnitWatcher;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testsupport.tier.HostTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What becomes of a unit after its version was proven, on a real systemd 262 host: the {@link UnitWatcher} hears of a
 * unit killed after the rollout through systemd's signals and the pass reports it Degraded; a unit that exits after
 * its reload inside minReadySeconds fails the version and the agent falls back to the last good one; after the window
 * the same exit is Degraded and the host is left as it is. The watcher's own period is a minute, so a report within
 * seconds can only have come from the D-Bus signal.
 */
@HostTest
class UnitHealthOnSystemd262Test {
    private static final String STATE = "/var/lib/confext-operator";
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(8);
    private static PlainRootHost host;
    private static SystemdHostApplier applier;
    private static UnitWatcher watcher;
    private static final LinkedBlockingQueue<Instant> passes = new LinkedBlockingQueue<>();

    @BeforeAll
    static void boot() throws Exception {
        host = PlainRootHost.boot("forky");
        applier = new SystemdHostApplier(host.leaderPid(), STATE);
        watcher = new UnitWatcher(
                host.leaderPid(), STATE, () -> passes.add(Instant.now()), Duration.ofMinutes(1), Clock.systemUTC());
        watcher.start();
    }

    @AfterAll
    static void shutdown() {
        if (watcher != null) {
            watcher.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void noPassAskedYet() {
        passes.clear();
    }

    private static String config(String version, Integer exitAfterReload) {
        return "version=" + version + "\n"
                + (exitAfterReload == null ? "" : "exit_after_reload=" + exitAfterReload + "\n");
    }

    private static DesiredBundleContent bundle(
            String name, String unit, String version, Integer exitAfterReload, int minReadySeconds) {
        RevisionContent c = new RevisionContent(
                version,
                Scope.Service,
                List.of(unit),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile("demo/demo.conf", config(version, exitAfterReload), "0644"))),
                null,
                ReloadMode.Reload,
                0);
        return new DesiredBundleContent(
                name,
                name + "-" + version,
                "sha256:" + Integer.toHexString((name + version + exitAfterReload).hashCode()),
                false,
                c,
                minReadySeconds);
    }

    private static BundleState converge(DesiredBundleContent d) {
        List<BundleState> states = applier.converge(List.of(d));
        return states.stream()
                .filter(s -> s.getName().equals(d.name()))
                .findFirst()
                .orElseThrow();
    }

    /** Waits for the watcher to ask for a pass; returns how long it took from {@code from}. */
    private static Duration awaitPassAsked(Instant from, Duration timeout) throws InterruptedException {
        Instant asked = passes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(asked).as("the watcher asked for a pass within " + timeout).isNotNull();
        return Duration.between(from, asked);
    }

    private static void awaitFailed(String unit, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!"failed"
                .equals(host.execOk("systemctl", "show", "-p", "ActiveState", "--value", unit)
                        .strip())) {
            assertThat(Instant.now()).as(unit + " failed in time").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aUnitKilledAfterTheRolloutIsReportedDegradedWithinSeconds() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        DesiredBundleContent v1 = bundle("killed", unit, "1.0", null, 0);
        assertThat(converge(v1).getPhase()).isEqualTo(BundlePhase.Active);
        DesiredBundleContent v2 = bundle("killed", unit, "2.0", null, 0);
        BundleState proven = converge(v2);
        assertThat(proven.getPhase()).as(proven.getMessage()).isEqualTo(BundlePhase.Active);
        Thread.sleep(1500); // the watcher's look after the proof has nothing to say
        passes.clear();

        Instant kill = Instant.now();
        host.execOk("systemctl", "kill", "-s", "KILL", unit);
        Duration took = awaitPassAsked(kill, WITHIN_SECONDS);
        BundleState s = converge(v2);
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Degraded);
        assertThat(s.getReason()).isEqualTo("UnitFailed");
        assertThat(s.getMessage()).contains("killed by signal 9 (KILL)");
        assertThat(s.getActiveVersion()).isEqualTo("2.0");
        assertThat(took)
                .as("asked for the pass by the signal, not the minute's look")
                .isLessThan(WITHIN_SECONDS);
        assertThat(host.execOk("systemctl", "is-failed", unit).strip())
                .as("the agent does not restart it")
                .isEqualTo("failed");

        BundleState again = converge(v2);
        assertThat(again.getPhase()).isEqualTo(BundlePhase.Degraded);
        assertThat(again.getSince()).as("the same finding keeps its time").isEqualTo(s.getSince());
    }

    @Test
    void aUnitThatExitsAfterItsReloadInsideTheWindowFailsTheVersionAndFallsBack() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        DesiredBundleContent good = bundle("window", unit, "1.0", null, 120);
        assertThat(converge(good).getPhase()).isEqualTo(BundlePhase.Active);
        DesiredBundleContent exits = bundle("window", unit, "2.0", 3, 120);
        BundleState proven = converge(exits);
        assertThat(proven.getPhase())
                .as("the reload is proven: the exit comes later")
                .isEqualTo(BundlePhase.Active);
        assertThat(proven.getActiveVersion()).isEqualTo("2.0");

        Instant start = Instant.now();
        awaitFailed(unit, Duration.ofSeconds(15));
        awaitPassAsked(start, Duration.ofSeconds(15));
        BundleState s = converge(exits);
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(s.getReason()).isEqualTo("UnitFailed");
        assertThat(s.getMessage())
                .contains("exited with status 3")
                .contains("within minReadySeconds (120s)")
                .contains("exiting on purpose")
                .contains("rolled back to 1.0");
        assertThat(s.getActiveVersion()).isEqualTo("1.0");
        assertThat(host.execOk("systemctl", "is-active", unit).strip())
                .as("started again with 1.0")
                .isEqualTo("active");
        assertThat(host.mainPidSees(unit, "demo/demo.conf")).contains(config("1.0", null));
        assertThat(host.ls(STATE + "/quarantine/window")).anyMatch(n -> n.startsWith("window_2.0.UnitFailed."));

        BundleState kept = converge(exits);
        assertThat(kept.getPhase()).as("the same content is not tried again").isEqualTo(BundlePhase.RolledBack);
        assertThat(host.mainPidSees(unit, "demo/demo.conf")).contains(config("1.0", null));
    }

    @Test
    void aUnitThatExitsAfterTheWindowIsDegradedAndKeepsItsVersion() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        assertThat(converge(bundle("late", unit, "1.0", null, 1)).getPhase()).isEqualTo(BundlePhase.Active);
        DesiredBundleContent exits = bundle("late", unit, "2.0", 4, 1);
        assertThat(converge(exits).getPhase()).isEqualTo(BundlePhase.Active);

        Instant start = Instant.now();
        awaitFailed(unit, Duration.ofSeconds(15));
        awaitPassAsked(start, Duration.ofSeconds(15));
        BundleState s = converge(exits);
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Degraded);
        assertThat(s.getReason()).isEqualTo("UnitFailed");
        assertThat(s.getMessage()).contains("exited with status 3").contains("exiting on purpose");
        assertThat(s.getActiveVersion()).isEqualTo("2.0");
        assertThat(host.ls(STATE + "/bundles/late.v"))
                .as("no fallback after the window")
                .contains("late_2.0");
        assertThat(host.execOk("systemctl", "is-failed", unit).strip()).isEqualTo("failed");

        // someone starts it again: a change while Degraded, then Active once it has run long enough
        host.execOk("systemctl", "start", unit);
        BundleState restarted = converge(exits);
        assertThat(restarted.getPhase()).as(restarted.getMessage()).isEqualTo(BundlePhase.Degraded);
        assertThat(restarted.getReason()).isEqualTo("UnitRestarted");
        Thread.sleep(10_500);
        BundleState recovered = converge(exits);
        assertThat(recovered.getPhase()).as(recovered.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(recovered.getReason()).isEqualTo("Proven");
    }
}
