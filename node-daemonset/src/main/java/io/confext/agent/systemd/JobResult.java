package io.confext.agent.systemd;

/** How a systemd job ended: {@code done} is success; anything else (failed, timeout, canceled, ...) is not. */
public record JobResult(String unit, String kind, String result) {
    public boolean ok() {
        return "done".equals(result);
    }

    public String describe() {
        return kind + " of " + unit + " finished with result '" + result + "'";
    }
}
