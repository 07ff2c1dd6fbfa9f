package io.confext.api.oci;

import io.confext.api.status.Reason;
import java.util.Objects;

/** A registry answer or an artifact that cannot become a confext image, with the reason a status reports. */
public final class OciFailure extends RuntimeException {
    private final Reason reason;

    public OciFailure(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
