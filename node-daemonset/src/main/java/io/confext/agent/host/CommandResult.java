package io.confext.agent.host;

import java.util.List;

/** What a command run on the host printed and how it ended. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
    public String describe() {
        return String.join(" ", command) + " exited " + exitCode + (stderr.isBlank() ? "" : ": " + stderr.strip());
    }
}
