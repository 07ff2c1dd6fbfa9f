package io.confext.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.state.BootTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootClockTest {
    @Test
    void readsTheBootIdAndTheUptime(@TempDir Path dir) throws Exception {
        Path id = Files.writeString(dir.resolve("boot_id"), "0f1e2d3c-aaaa-bbbb-cccc-000011112222\n");
        Path up = Files.writeString(dir.resolve("uptime"), "12345.67 45678.90\n");
        assertThat(BootClock.read(id, up)).isEqualTo(new BootTime("0f1e2d3c-aaaa-bbbb-cccc-000011112222", 12_345_670));
    }

    @Test
    void anUnreadableOrGarbledFileIsNoBootTime(@TempDir Path dir) throws Exception {
        Path id = Files.writeString(dir.resolve("boot_id"), "b\n");
        Path bad = Files.writeString(dir.resolve("uptime"), "soon\n");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThat(BootClock.read(id, bad)).isNull();
        assertThat(BootClock.read(id, dir.resolve("missing"))).isNull();
        assertThat(BootClock.read(empty, Files.writeString(dir.resolve("up2"), "1.0 1.0")))
                .isNull();
    }

    /** The kernel's own files, as the agent reads them: one boot, a clock that moves forward. */
    @Test
    void theKernelsBootClockMovesForward() throws Exception {
        BootTime a = BootClock.kernel().now();
        Thread.sleep(50);
        BootTime b = BootClock.kernel().now();
        assertThat(a).as("Linux has /proc/uptime and a boot id").isNotNull();
        assertThat(b.since(a)).hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(40)));
        assertThat(a.since(new BootTime("another boot", 0))).isEmpty();
    }
}
