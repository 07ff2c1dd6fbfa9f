package io.confext.kubectl;

/** A failure the user can act on: its message is printed as {@code error: ...}, the exit code is 1, no stack trace. */
public final class CommandFailure extends RuntimeException {
    public CommandFailure(String message) {
        super(message);
    }

    public static CommandFailure bundleNotFound(String name) {
        return new CommandFailure("confextbundle " + name + " not found");
    }
}
