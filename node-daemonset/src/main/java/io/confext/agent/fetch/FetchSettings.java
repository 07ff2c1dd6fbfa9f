package io.confext.agent.fetch;

import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How hard to try.
 *
 * @param stallTimeout a transfer that delivers no byte for this long is abandoned (and resumed on the next attempt)
 * @param maxAttempts attempts in all, the first included
 * @param initialBackoff wait after the first failed attempt; doubled after each further one up to {@code maxBackoff}
 * @param sslContext a custom trust store (tests, private CAs); empty: the JDK's default trust
 */
public record FetchSettings(
        Duration connectTimeout,
        Duration stallTimeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Optional<SSLContext> sslContext) {
    public static FetchSettings defaults() {
        return new FetchSettings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                5,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Optional.empty());
    }

    public FetchSettings withSslContext(SSLContext ctx) {
        return new FetchSettings(
                connectTimeout, stallTimeout, maxAttempts, initialBackoff, maxBackoff, Optional.of(ctx));
    }

    /** The wait before attempt {@code attempt + 1} (attempts count from 1). */
    public Duration backoffAfter(int attempt) {
        long ms = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
