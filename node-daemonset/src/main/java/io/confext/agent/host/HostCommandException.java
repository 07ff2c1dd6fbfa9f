package io.confext.agent.host;

/** A host command that did not exit 0; the message carries its stderr so a person can act on it. */
public final class HostCommandException extends RuntimeException {
    private final CommandResult result;

    public HostCommandException(CommandResult result) {
        super(result.describe());
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}
