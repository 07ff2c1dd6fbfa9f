package io.confext.agent.host;

import io.confext.agent.state.BootTime;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the agent reads the host's boot clock ({@link BootTime}). The agent's container shares the host's kernel,
 * so its own {@code /proc/uptime} and boot id are the host's.
 */
@FunctionalInterface
public interface BootClock {
    /** Now on the boot clock; null when it cannot be read (the callers fall back to the wall clock). */
    BootTime now();

    static BootClock kernel() {
        return () -> read(Path.of("/proc/sys/kernel/random/boot_id"), Path.of("/proc/uptime"));
    }

    /** @return null when either file cannot be read or parsed */
    static BootTime read(Path bootIdFile, Path uptimeFile) {
        try {
            String bootId =
                    Files.readString(bootIdFile, StandardCharsets.US_ASCII).strip();
            // "12345.67 4567.89": seconds since boot (suspend included), then idle time
            String up = Files.readString(uptimeFile, StandardCharsets.US_ASCII).strip();
            String first = up.split("\\s+")[0];
            long millis = new BigDecimal(first).movePointRight(3).longValue();
            return bootId.isEmpty() ? null : new BootTime(bootId, millis);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
