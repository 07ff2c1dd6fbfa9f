package io.confext.agent.apply;

import io.confext.api.status.Reason;

/**
 * What to do to a unit so that it sees the change, and why.
 *
 * @param reason  a catalogue {@link Reason}, as written to the status
 * @param message for people: what happens, or what to set when nothing can
 */
public record Activation(Action action, String reason, String message) {
    public enum Action {
        NONE,
        RELOAD,
        RESTART,
        FAIL
    }

    public Activation {
        Reason.require(reason);
    }

    public Activation(Action action, Reason reason, String message) {
        this(action, reason.name(), message);
    }

    static Activation none(Reason reason, String message) {
        return new Activation(Action.NONE, reason, message);
    }

    static Activation reload(String message) {
        return new Activation(Action.RELOAD, Reason.Reload, message);
    }

    static Activation restart(Reason reason, String message) {
        return new Activation(Action.RESTART, reason, message);
    }

    static Activation fail(Reason reason, String message) {
        return new Activation(Action.FAIL, reason, message);
    }
}
