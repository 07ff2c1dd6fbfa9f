package io.confext.agent.apply;

/**
 * What to do to a unit so that it sees the change, and why.
 *
 * @param reason  CamelCase, for the status
 * @param message for people: what happens, or what to set when nothing can
 */
public record Activation(Action action, String reason, String message) {
    public enum Action { NONE, RELOAD, RESTART, FAIL }

    static Activation none(String reason, String message) {
        return new Activation(Action.NONE, reason, message);
    }

    static Activation reload(String message) {
        return new Activation(Action.RELOAD, "Reload", message);
    }

    static Activation restart(String reason, String message) {
        return new Activation(Action.RESTART, reason, message);
    }

    static Activation fail(String reason, String message) {
        return new Activation(Action.FAIL, reason, message);
    }
}
