package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.host.HostFiles;
import io.confext.agent.host.OsRelease;
import io.confext.agent.state.BundleStep;
import io.confext.testsupport.tier.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SIGKILL the agent (a child JVM) at every step boundary and at random moments, over many rounds, while a sampler
 * watches what the demo unit's main process sees; then restart the agent and check it converges. The unit must only
 * ever see a complete version: extension-release and config of the same version, config byte-exact.
 */
@TestMethodOrder(
        MethodOrderer.OrderAnnotation
                .class) // one host, one bundle: the rollback rounds use versions above the first test's
@HostTest
class CrashSafetyTest {
    private static final String UNIT = Bundles.uniqueUnit();
    /** The step boundaries of a directory bundle's apply, in order. */
    static final List<BundleStep> STEPS = List.of(
            BundleStep.STAGING,
            BundleStep.STAGED,
            BundleStep.RENAMED,
            BundleStep.ATTACHED,
            BundleStep.ACTIVATED,
            BundleStep.PROVEN);

    private static PlainRootHost host;

    @BeforeAll
    static void boot() throws Exception {
        host = PlainRootHost.boot("forky");
        host.installDemo(UNIT);
    }

    @AfterAll
    static void shutdown() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    @Order(1)
    void killedAtEveryStepAndAtRandomTheUnitOnlySeesCompleteVersionsAndTheHostConverges() throws Exception {
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        AtomicLong samples = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sampler = new Thread(() -> sample(violations, samples, stop, false));
        sampler.start();
        Random random = new Random(42);
        int rounds = STEPS.size() * 2 + 8;
        try {
            for (int round = 1; round <= rounds; round++) {
                String version = Integer.toString(round);
                if (round <= STEPS.size() * 2) {
                    String step = STEPS.get((round - 1) % STEPS.size()).word();
                    runAndKillAt(version, step);
                } else {
                    runAndKillAfter(version, random.nextInt(2500));
                }
                String done = run(version, "-", 0);
                assertThat(done).as("round " + round + " after restart").startsWith("DONE Active " + version + " ");
                assertThat(host.mainPidSees(UNIT, "demo/demo.conf")).contains(Bundles.demoConfig(version, false));
            }
        } finally {
            stop.set(true);
            sampler.join();
        }
        assertThat(samples.get()).as("the sampler really watched").isGreaterThan(100);
        assertThat(violations)
                .as("moments where the unit saw a half or mixed version")
                .isEmpty();
        // The applier may remove the staging directory itself once nothing is staged: absent or empty both mean nothing
        // was left behind.
        if (Files.exists(host.files().resolve("/var/lib/confext-operator/staging"))) {
            assertThat(host.ls("/var/lib/confext-operator/staging")).isEmpty();
        }
        assertThat(host.ls("/var/lib/confext-operator/bundles/demo.v")).hasSizeLessThanOrEqualTo(3);
    }

    /**
     * Versions whose reload fails, killed where the agent rolls back (at the journal step, right after the failed reload
     * before any verdict is journalled, and at random moments, which
     * land inside the quarantine moves too): every restart ends RolledBack to the last good version, the failed
     * version is out of {@code .v/} and in the bundle's quarantine (newest 3), no half-done quarantine is left, and the
     * unit only ever sees a complete version (the failing one included, while its reload is tried).
     */
    @Test
    @Order(2)
    void killedWhileRollingBackTheHostEndsOnTheLastGoodVersionWithTheFailedOneQuarantined() throws Exception {
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        AtomicLong samples = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sampler = new Thread(() -> sample(violations, samples, stop, true));
        sampler.start();
        Random random = new Random(4242);
        String good = "500";
        try {
            assertThat(run(good, "-", 0)).startsWith("DONE Active " + good + " ");
            for (int round = 1; round <= 8; round++) {
                String bad = Integer.toString(500 + round);
                if (round <= 2) {
                    assertThat(run(bad, BundleStep.ROLLING_BACK.word(), 0, "fail"))
                            .as("round %d reached rolling-back", round)
                            .isEqualTo("AT rolling-back");
                } else if (round == 3) {
                    // the reload failed but left the refreshed mounts: the unit sees the bad version, nothing is
                    // journalled
                    // beyond ACTIVATING, and the restart must not take what the unit sees as the verdict
                    assertThat(run(bad, BundleStep.ACTIVATED.word(), 0, "fail"))
                            .as("round %d reached activated", round)
                            .isEqualTo("AT activated");
                } else {
                    run(bad, "-", 300 + random.nextInt(2500), "fail");
                }
                String done = run(bad, "-", 0, "fail");
                assertThat(done).as("round %d after restart", round).startsWith("DONE RolledBack " + good + " ");
                assertThat(host.mainPidSees(UNIT, "demo/demo.conf"))
                        .as("round %d", round)
                        .contains(Bundles.demoConfig(good, false));
                assertThat(host.ls("/var/lib/confext-operator/bundles/demo.v"))
                        .as("round %d", round)
                        .contains("demo_" + good)
                        .doesNotContain("demo_" + bad);
                List<String> held = host.ls("/var/lib/confext-operator/quarantine/demo");
                assertThat(held)
                        .as("round %d: the quarantine", round)
                        .hasSizeLessThanOrEqualTo(3)
                        .noneMatch(n -> n.endsWith(Quarantine.PARTIAL))
                        .anyMatch(n -> n.startsWith("demo_" + bad + "."));
            }
            // killed while rolling back, and then another version is desired: the half-rolled-back version is
            // quarantined first, so it can never become the fallback of a later failure
            assertThat(run("520", BundleStep.ROLLING_BACK.word(), 0, "fail")).isEqualTo("AT rolling-back");
            assertThat(run("521", "-", 0)).startsWith("DONE Active 521 ");
            assertThat(host.ls("/var/lib/confext-operator/bundles/demo.v"))
                    .contains("demo_521")
                    .doesNotContain("demo_520");
            assertThat(host.ls("/var/lib/confext-operator/quarantine/demo"))
                    .anyMatch(n -> n.startsWith("demo_520.RollbackInterrupted."));
            assertThat(host.mainPidSees(UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("521", false));
        } finally {
            stop.set(true);
            sampler.join();
        }
        assertThat(samples.get()).as("the sampler really watched").isGreaterThan(50);
        assertThat(violations)
                .as("moments where the unit saw a half or mixed version")
                .isEmpty();
    }

    private void runAndKillAt(String version, String step) throws Exception {
        String out = run(version, step, 0);
        assertThat(out).as("the agent reached " + step).isEqualTo("AT " + step);
    }

    private void runAndKillAfter(String version, int millis) throws Exception {
        run(version, "-", millis);
    }

    /** Runs the driver for this version (see {@link CrashRuns#run}); {@code flags}: "fail" for a failing version. */
    private String run(String version, String step, int killAfterMillis, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(Long.toString(host.leaderPid()), UNIT, version, step));
        args.addAll(List.of(flags));
        return CrashRuns.run(CrashDriver.class, killAfterMillis, args);
    }

    /**
     * Reads the unit's view continuously; a sample counts only when the release file did not change around it.
     * {@code failingToo}: the config of a version whose reload fails is complete too.
     */
    private static void sample(List<String> violations, AtomicLong samples, AtomicBoolean stop, boolean failingToo) {
        HostFiles files = host.files();
        long pid = 0;
        while (!stop.get()) {
            try {
                // ask systemd (an nsenter + systemctl) only when the process we watch is gone: keeps the sampler cheap
                if (pid <= 0 || !java.nio.file.Files.exists(files.resolve("/proc/" + pid + "/root/etc"))) {
                    pid = host.mainPid(UNIT);
                }
                if (pid > 0) {
                    Path root = files.resolve("/proc/" + pid + "/root/etc");
                    Optional<String> rel1 =
                            HostFiles.readString(root.resolve("extension-release.d/extension-release.demo"));
                    Optional<String> conf = HostFiles.readString(root.resolve("demo/demo.conf"));
                    Optional<String> rel2 =
                            HostFiles.readString(root.resolve("extension-release.d/extension-release.demo"));
                    if (rel1.equals(rel2) && rel1.isPresent()) {
                        String v = OsRelease.parse(rel1.get())
                                .get("SYSEXT_VERSION_ID")
                                .orElse("?");
                        samples.incrementAndGet();
                        boolean complete = conf.isPresent()
                                && (conf.get().equals(Bundles.demoConfig(v, false))
                                        || failingToo && conf.get().equals(Bundles.demoConfig(v, true)));
                        if (!complete) {
                            violations.add("pid " + pid + " sees release " + v + " with config " + conf);
                        }
                    }
                }
            } catch (RuntimeException processGoneMeanwhile) {
                pid = 0; // the unit restarted between reads: the next sample finds the new process
            }
        }
    }
}
