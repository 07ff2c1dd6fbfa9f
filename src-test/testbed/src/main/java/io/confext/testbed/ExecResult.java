package io.confext.testbed;

import java.util.List;

/** Outcome of one command: exit code and the complete captured output. */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** A message naming the command and everything it said, for assertion and exception messages. */
    public String describe(List<String> argv) {
        return "`" + String.join(" ", argv) + "` exited with " + exitCode + "\n--- stdout ---\n" + stdout
                + "\n--- stderr ---\n" + stderr;
    }
}
