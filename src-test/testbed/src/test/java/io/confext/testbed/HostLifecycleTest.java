package io.confext.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A host boots, runs commands, and is really gone after close: no process, no mount, no files. */
@SystemdHostTest
class HostLifecycleTest {

    @Test
    void bootsExecutesAndTearsDownCompletely() {
        Prerequisites.missingCapability().ifPresent(r -> org.junit.jupiter.api.Assumptions.abort(r));
        Instant t0 = Instant.now();
        SystemdHost host = SystemdHost.boot(HostImage.FORKY, "lifecycle");
        System.out.println("boot took " + Duration.between(t0, Instant.now()).toMillis() + " ms");
        HostRecord record = host.record();
        long leader = host.leaderPid();
        long nspawn = record.nspawn().orElseThrow().pid();
        try {
            assertThat(host.execOk("systemctl", "is-system-running").stdout().strip())
                    .isIn("running", "degraded");
            assertThat(host.execOk("hostname").stdout().strip()).isEqualTo("lifecycle");
            // PID 1 inside is the leader outside
            assertThat(host.execOk("sh", "-c", "echo $$; readlink /proc/1/exe").stdout())
                    .contains("systemd");
            assertThat(host.exec("sh", "-c", "echo out; echo err >&2; exit 3"))
                    .isEqualTo(new ExecResult(3, "out\n", "err\n"));
            assertThatThrownBy(() -> host.execOk("false")).hasMessageContaining("exited with 1");

            host.writeFile("/etc/testbed/hello.conf", "hello=1\n", "0640");
            assertThat(host.execOk("cat", "/etc/testbed/hello.conf").stdout()).isEqualTo("hello=1\n");
            assertThat(host.execOk("stat", "-c", "%a %U", "/etc/testbed/hello.conf")
                            .stdout()
                            .strip())
                    .isEqualTo("640 root");
            host.execOk("sh", "-c", "echo from-inside > /root/x");
            assertThat(host.readFile("/root/x")).isEqualTo("from-inside\n");
            assertThat(Mounts.mountedAtOrBelow(record.dataDir())).isNotEmpty();
            // what the agent connects to from outside, as it does to PID 1's bus in production
            assertThat(host.hostPath("/run/dbus/system_bus_socket")).exists();
            assertThat(host.root()).isEqualTo(Path.of("/proc/" + leader + "/root"));
        } finally {
            host.close();
        }
        assertThat(ProcessHandle.of(leader).isPresent()).as("host PID 1 gone").isFalse();
        assertThat(ProcessHandle.of(nspawn).isPresent()).as("nspawn gone").isFalse();
        assertThat(Mounts.mountedAtOrBelow(record.dataDir()))
                .as("overlay unmounted")
                .isEmpty();
        assertThat(Files.exists(record.dataDir())).as("per-host dir deleted").isFalse();
        assertThat(HostCgroup.cgroup2Mount()
                        .orElseThrow()
                        .resolve(HostCgroup.PARENT)
                        .resolve(record.machine()))
                .as("per-host cgroup removed")
                .doesNotExist();
        assertThat(Files.exists(HostRecord.fileFor(Path.of("/run/confext-testbed"), record.machine())))
                .isFalse();
        assertThatThrownBy(() -> host.exec("true")).isInstanceOf(IllegalStateException.class);
        host.close(); // idempotent
    }

    @Test
    void badInputGetsClearErrors(@org.junit.jupiter.api.io.TempDir Path emptyCache) {
        assertThatThrownBy(() -> SystemdHost.boot(HostImage.FORKY, "Bad_Name")).hasMessageContaining("must match");
        String before = System.getProperty("confext.testbed.cache");
        System.setProperty("confext.testbed.cache", emptyCache.toString());
        try {
            assertThatThrownBy(() -> SystemdHost.boot(HostImage.TRIXIE, "nocache"))
                    .hasMessageContaining("scripts/prepare-test-hosts")
                    .hasMessageContaining(emptyCache.toString());
        } finally {
            if (before == null) {
                System.clearProperty("confext.testbed.cache");
            } else {
                System.setProperty("confext.testbed.cache", before);
            }
        }
    }

    @Test
    void systemdVersionIsParsedFromSystemctl() {
        assertThat(SystemdHost.parseSystemdVersion("systemd 262 (262-1)\n+PAM +AUDIT"))
                .isEqualTo(262);
        assertThatThrownBy(() -> SystemdHost.parseSystemdVersion("nonsense")).isInstanceOf(TestbedException.class);
    }

    @Test
    void forkyHasSystemd262OrNewer(SystemdHost host) {
        assertThat(host.image()).isEqualTo(HostImage.FORKY);
        assertThat(host.systemdVersion()).isGreaterThanOrEqualTo(262);
    }

    @Test
    void trixieHasSystemd257(@Host(HostImage.TRIXIE) SystemdHost host) {
        assertThat(host.systemdVersion()).isEqualTo(257);
        assertThat(host.execOk("systemd-confext", "--version").stdout()).startsWith("systemd 257");
    }
}
