package io.confext.api.revision;

import java.util.List;
import java.util.Objects;

/**
 * A bundle's own health check, frozen with its version and defaults applied ({@code spec.healthChecks[]}).
 *
 * @param name             the check's name (a DNS label)
 * @param exec             the command, or null
 * @param httpGet          the GET, or null
 * @param timeoutSeconds   one run's limit
 * @param periodSeconds    time between two runs
 * @param failureThreshold failed runs in a row that fail the check
 */
public record ResolvedHealthCheck(
        String name, Exec exec, HttpGet httpGet, int timeoutSeconds, int periodSeconds, int failureThreshold) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_PERIOD_SECONDS = 10;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    public ResolvedHealthCheck {
        Objects.requireNonNull(name, "name");
        if ((exec == null) == (httpGet == null)) {
            throw new IllegalArgumentException("health check " + name + " needs exactly one of exec or httpGet");
        }
    }

    /**
     * @param command argv, no shell
     * @param inUnit  true: in the namespaces of the unit's main process; false: the host's
     * @param unit    the unit to run in (inUnit), never null then
     */
    public record Exec(List<String> command, boolean inUnit, String unit) {
        public Exec {
            command = List.copyOf(command);
        }
    }

    /** A GET of {@code scheme://127.0.0.1:port path}. */
    public record HttpGet(int port, String path, boolean https) {}

    /** What the check does, in words: "exec [chronyc tracking] in chronyd.service", "GET http://127.0.0.1:9100/metrics". */
    public String describe() {
        if (exec != null) {
            return "exec [" + String.join(" ", exec.command()) + "] "
                    + (exec.inUnit() ? "in " + exec.unit() : "on the host");
        }
        return "GET " + (httpGet.https() ? "https" : "http") + "://127.0.0.1:" + httpGet.port() + httpGet.path();
    }
}
