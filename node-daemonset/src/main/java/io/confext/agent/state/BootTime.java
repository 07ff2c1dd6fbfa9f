package io.confext.agent.state;

import java.time.Duration;
import java.util.Optional;

/**
 * A moment on the host's boot clock (the kernel's {@code CLOCK_BOOTTIME}, as {@code /proc/uptime} shows it): time
 * since the boot named by {@code bootId}. Unlike the wall clock it is never set or stepped (an NTP correction, an
 * administrator's {@code date -s}, a clock that starts wrong after boot), and it is the same for every process of
 * the boot, so an agent that restarts can still tell how long ago its previous run proved a version.
 *
 * @param bootId the kernel's boot id ({@code /proc/sys/kernel/random/boot_id})
 * @param millis milliseconds since that boot, suspend included
 */
public record BootTime(String bootId, long millis) {
    /** How long after {@code earlier} this is; empty when they are of different boots (or earlier is unknown). */
    public Optional<Duration> since(BootTime earlier) {
        if (earlier == null || bootId == null || !bootId.equals(earlier.bootId())) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.max(0, millis - earlier.millis())));
    }
}
