package io.confext.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.testsupport.tier.HostTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hosts of a run killed with SIGKILL are cleaned up by the next run; hosts of live runs are left alone. */
@HostTest
class LeftoverSweepTest {

    @BeforeEach
    void needsHosts() {
        Prerequisites.missingCapability().ifPresent(org.junit.jupiter.api.Assumptions::abort);
    }

    @Test
    void hostOfASigkilledJvmIsTornDownByTheNextSweep() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(List.of(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        OrphanedHostMaker.class.getName()))
                .redirectErrorStream(true)
                .start();
        String[] orphan;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder all = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("MACHINE ")) {
                all.append(line).append('\n');
            }
            assertThat(line).as("child JVM output:\n%s", all).isNotNull();
            orphan = line.split(" ");
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        String machine = orphan[1];
        long leader = Long.parseLong(orphan[2]);
        Path dataDir = Path.of(orphan[3]);
        TestbedPaths paths = TestbedPaths.fromEnvironment();
        assertThat(ProcessHandle.of(leader)).as("the orphan is still running").isPresent();
        assertThat(Files.exists(HostRecord.fileFor(paths.stateDir(), machine))).isTrue();

        LeftoverSweeper.sweep(paths);

        awaitGone(leader);
        assertThat(Mounts.mountedAtOrBelow(dataDir)).isEmpty();
        assertThat(dataDir).doesNotExist();
        assertThat(HostRecord.fileFor(paths.stateDir(), machine)).doesNotExist();
        assertThat(HostCgroup.cgroup2Mount()
                        .orElseThrow()
                        .resolve(HostCgroup.PARENT)
                        .resolve(machine))
                .doesNotExist();
    }

    @Test
    void hostsOfLiveRunsAreNotSwept() {
        try (SystemdHost host = SystemdHost.boot(HostImage.FORKY, "alive")) {
            LeftoverSweeper.sweep(TestbedPaths.fromEnvironment());
            assertThat(host.execOk("systemctl", "is-system-running").stdout().strip())
                    .isIn("running", "degraded");
        }
    }

    @Test
    void staleDecisionIsByOwnerLiveness() {
        HostRecord r = new HostRecord(
                "cxtb-x-1",
                new ProcessIdentity(1234, 99),
                Path.of("/nonexistent"),
                java.util.Optional.empty(),
                java.util.Optional.empty());
        assertThat(LeftoverSweeper.isStale(r, id -> true)).isFalse();
        assertThat(LeftoverSweeper.isStale(r, id -> false)).isTrue();
        // a recycled PID with another start time is not the owner
        assertThat(new ProcessIdentity(ProcessHandle.current().pid(), 1).alive())
                .isFalse();
        assertThat(ProcessIdentity.self().alive()).isTrue();
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessHandle.of(pid).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(ProcessHandle.of(pid)).as("orphan's PID 1 gone").isEmpty();
    }
}
