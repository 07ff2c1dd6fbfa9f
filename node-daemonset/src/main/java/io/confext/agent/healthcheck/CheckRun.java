package io.confext.agent.healthcheck;

/**
 * One run of a health check.
 *
 * @param passed whether it passed (exit status 0, HTTP status 200..399)
 * @param detail how it ended, in words: "exit status 1: 506 Cannot talk to daemon", "HTTP 503: not ready", "timed
 *               out after 1s", "connection refused"; never an exception class name
 */
public record CheckRun(boolean passed, String detail) {
    public static CheckRun pass(String detail) {
        return new CheckRun(true, detail);
    }

    public static CheckRun fail(String detail) {
        return new CheckRun(false, detail);
    }
}
