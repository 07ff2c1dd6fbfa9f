package io.confext.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named by PID plus its start time (clock ticks since boot, field 22 of /proc/PID/stat), so a
 * recycled PID is never mistaken for the process we started: we only ever signal the process we mean.
 */
record ProcessIdentity(long pid, long startTicks) {

    static Optional<ProcessIdentity> of(long pid) {
        return startTicksOf(pid).map(t -> new ProcessIdentity(pid, t));
    }

    static ProcessIdentity self() {
        return of(ProcessHandle.current().pid()).orElseThrow();
    }

    boolean alive() {
        return startTicksOf(pid).map(t -> t == startTicks).orElse(false);
    }

    Optional<ProcessHandle> handle() {
        return alive() ? ProcessHandle.of(pid) : Optional.empty();
    }

    static Optional<Long> startTicksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces and parentheses: count fields after the last ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // rest[0] is field 3 (state): field 22 (starttime) is rest[19]
            if (rest[0].equals("Z") || rest[0].equals("X")) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(rest[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return pid + "@" + startTicks;
    }

    static ProcessIdentity parse(String s) {
        int at = s.indexOf('@');
        return new ProcessIdentity(Long.parseLong(s.substring(0, at)), Long.parseLong(s.substring(at + 1)));
    }
}
