package io.confext.agent.systemd;

/** The host's systemd could not be reached or refused a call; the message names the call and the unit. */
public final class SystemdException extends RuntimeException {
    public SystemdException(String message, Throwable cause) {
        super(message, cause);
    }
}
