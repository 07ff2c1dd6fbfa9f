package io.confext.operator.rollout;

import java.util.Objects;

/** A version this bundle fully rolled out (an entry of {@code status.history}). */
public record DeliveredVersion(String version, String revision) {
    public DeliveredVersion {
        Objects.requireNonNull(version, "version");
    }
}
