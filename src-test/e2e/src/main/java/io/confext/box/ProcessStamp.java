package io.confext.box;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads a live process's start time from /proc, so the box only ever signals the very process it started. */
final class ProcessStamp {

    private ProcessStamp() {}

    /** The start ticks of a running (not zombie) process, if there is one with that PID. */
    static OptionalLong startTicks(long pid) {
        try {
            return parseStartTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException gone) {
            return OptionalLong.empty();
        }
    }

    /** Pure: field 22 of /proc/PID/stat; empty for a zombie or dead process (nothing left to kill). */
    static OptionalLong parseStartTicks(String stat) {
        // the command name (field 2) may hold spaces and parentheses: count the fields after the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 > stat.length()) {
            return OptionalLong.empty();
        }
        String[] rest = stat.substring(close + 2).trim().split(" ");
        if (rest.length < 20 || rest[0].equals("Z") || rest[0].equals("X")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(rest[19]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The entry for a process this box just started; empty when it already exited. */
    static Optional<Leftover.Process> of(long pid, String what) {
        OptionalLong ticks = startTicks(pid);
        return ticks.isPresent() ? Optional.of(new Leftover.Process(pid, ticks.getAsLong(), what)) : Optional.empty();
    }

    /** Whether that very process (same PID and start time) still runs. */
    static boolean alive(Leftover.Process p) {
        OptionalLong now = startTicks(p.pid());
        return now.isPresent() && now.getAsLong() == p.startTicks();
    }
}
