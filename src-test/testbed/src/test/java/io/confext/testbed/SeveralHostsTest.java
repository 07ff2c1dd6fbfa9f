package io.confext.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Several hosts at once (the e2e tests use three) are independent: own PID 1, /etc, units and cgroups. */
@SystemdHostTest
class SeveralHostsTest {

    @Test
    void threeHostsAreIndependent(
            @Host(name = "node-a") SystemdHost a,
            @Host(name = "node-b") SystemdHost b,
            @Host(value = HostImage.TRIXIE, name = "node-c") SystemdHost c) {
        Set<Long> leaders = Stream.of(a, b, c).map(SystemdHost::leaderPid).collect(Collectors.toSet());
        assertThat(leaders).hasSize(3);
        assertThat(Stream.of(a, b, c).map(h -> h.execOk("hostname").stdout().strip()))
                .containsExactly("node-a", "node-b", "node-c");
        assertThat(Stream.of(a, b, c).map(h -> h.readFile("/etc/machine-id")).collect(Collectors.toSet()))
                .hasSize(3);

        a.writeFile("/etc/demo/demo.conf", "host=a\n", "0644");
        b.writeFile("/etc/demo/demo.conf", "host=b\n", "0644");
        assertThat(c.hostPath("/etc/demo/demo.conf")).doesNotExist();

        // same unit name on every host: each stops cleanly and independently (no shared cgroup)
        for (SystemdHost h : new SystemdHost[] {a, b, c}) {
            DemoService.install(h, "demo.service");
        }
        assertThat(DemoService.seen(a, "demo.service").config()).contains("host=a\n");
        assertThat(DemoService.seen(b, "demo.service").config()).contains("host=b\n");
        a.execOk(java.time.Duration.ofSeconds(20), "systemctl", "stop", "demo.service");
        assertThat(b.execOk("systemctl", "is-active", "demo.service").stdout().strip())
                .isEqualTo("active");
        assertThat(c.execOk("systemctl", "is-active", "demo.service").stdout().strip())
                .isEqualTo("active");
        b.execOk(java.time.Duration.ofSeconds(20), "systemctl", "stop", "demo.service");
        c.execOk(java.time.Duration.ofSeconds(20), "systemctl", "stop", "demo.service");
    }
}
