package io.confext.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; the failure says what was awaited and what was seen. */
final class Eventually {

    private Eventually() {}

    static void await(String what, Duration timeout, Supplier<Boolean> condition, Supplier<String> diagnostics) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e; // e.g. the API server refusing a connection during an operator restart: try again
            }
            sleep(250);
        }
        throw new AssertionError(
                "not within " + timeout + ": " + what + (last == null ? "" : "\nlast error: " + last) + "\n"
                        + diagnostics.get(),
                last);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
