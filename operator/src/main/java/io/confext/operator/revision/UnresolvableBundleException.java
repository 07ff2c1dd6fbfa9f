package io.confext.operator.revision;

/** A bundle that cannot be frozen into a revision; {@code reason} becomes the Degraded condition's reason. */
public class UnresolvableBundleException extends RuntimeException {
    private final String reason;

    public UnresolvableBundleException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
