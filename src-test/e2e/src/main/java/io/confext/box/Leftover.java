package io.confext.box;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Something a box started that must not outlive it, as one line of its leftovers file: written as each thing
 * appears, read by the watchdog ({@link Reaper}) when the box dies and by the next box on the same work directory.
 */
sealed interface Leftover {

    /** The line in the leftovers file (no newline). */
    String line();

    /**
     * A process, named by PID plus start time (clock ticks since boot, /proc/PID/stat field 22) so a recycled PID
     * is never mistaken for it.
     */
    record Process(long pid, long startTicks, String what) implements Leftover {
        public Process {
            what = what.replaceAll("\\s+", "_");
        }

        @Override
        public String line() {
            return "process " + pid + " " + startTicks + " " + what;
        }
    }

    /** The box's own JVM: while it runs, its leftovers are not leftovers (a second box must not sweep them). */
    record Owner(long pid, long startTicks) implements Leftover {
        @Override
        public String line() {
            return "owner " + pid + " " + startTicks;
        }

        Process asProcess() {
            return new Process(pid, startTicks, "box");
        }
    }

    /** A host's own cgroup subtree: {@code cgroup.kill} ends nspawn and everything in the host at once. */
    record Cgroup(Path dir) implements Leftover {
        @Override
        public String line() {
            return "cgroup " + dir;
        }
    }

    /** A scratch directory of a child that does not remove it when killed (etcd's data and WAL directories). */
    record Dir(Path dir) implements Leftover {
        @Override
        public String line() {
            return "dir " + dir;
        }
    }

    /** Pure: the entry of one line; empty for a blank, unknown or torn line (a writer killed mid-line). */
    static Optional<Leftover> parse(String line) {
        String[] f = line.strip().split(" ", 4);
        try {
            return switch (f[0]) {
                case "process" ->
                    f.length == 4
                            ? Optional.of(new Process(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]))
                            : Optional.empty();
                case "owner" ->
                    f.length == 3
                            ? Optional.of(new Owner(Long.parseLong(f[1]), Long.parseLong(f[2])))
                            : Optional.empty();
                case "cgroup" ->
                    f.length == 2 && f[1].startsWith("/") ? Optional.of(new Cgroup(Path.of(f[1]))) : Optional.empty();
                case "dir" ->
                    f.length == 2 && f[1].startsWith("/") ? Optional.of(new Dir(Path.of(f[1]))) : Optional.empty();
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
