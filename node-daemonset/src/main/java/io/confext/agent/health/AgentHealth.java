package io.confext.agent.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What the health checks report, as last observed by the work loop (thread-safe: written by the
 * loop's thread, read by the health endpoint's). The checks themselves never call the host or the
 * API: a probe must stay cheap and must not race the loop for the host's D-Bus connection.
 */
public final class AgentHealth {

    /** Result of the latest "does host systemd answer" check. */
    public record HostCheck(boolean reachable, String detail, Instant at) {}

    private final Clock clock;
    private volatile Instant lastBeat;
    private volatile HostCheck host = new HostCheck(false, "host not checked yet", Instant.EPOCH);
    private volatile BooleanSupplier apiConnected = () -> false;

    public AgentHealth(Clock clock) {
        this.clock = clock;
        this.lastBeat = clock.instant();
    }

    /** Called by the work loop whenever it completes a pass or an idle tick. */
    public void beat() {
        lastBeat = clock.instant();
    }

    public void hostChecked(boolean reachable, String detail) {
        host = new HostCheck(reachable, detail, clock.instant());
    }

    /** The watch's view of the API connection (the informer is watching). */
    public void apiConnection(BooleanSupplier connected) {
        apiConnected = connected;
    }

    public Duration sinceLastBeat() {
        return Duration.between(lastBeat, clock.instant());
    }

    public Instant lastBeat() {
        return lastBeat;
    }

    public HostCheck host() {
        return host;
    }

    public boolean apiConnected() {
        return apiConnected.getAsBoolean();
    }
}
