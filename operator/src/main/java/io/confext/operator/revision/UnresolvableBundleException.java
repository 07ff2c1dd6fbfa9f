package io.confext.operator.revision;

import io.confext.api.status.Reason;

/** A bundle that cannot be frozen into a revision; {@code reason} becomes the Degraded condition's reason. */
public class UnresolvableBundleException extends RuntimeException {
    private final Reason reason;

    public UnresolvableBundleException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The reason as written to the Degraded condition. */
    public String reason() {
        return reason.name();
    }

    public Reason catalogued() {
        return reason;
    }
}
