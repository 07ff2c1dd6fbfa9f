package io.confext.agent.verify;

import java.util.Objects;

/** One reason for refusing an image: a stable code and a message a person can act on. */
public record Reason(ReasonCode code, String message) {
    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
