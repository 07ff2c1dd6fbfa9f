package io.confext.box;

import java.nio.file.Path;

/**
 * The box's watchdog, run by {@link Watchdog} once the box's JVM is gone without saying goodbye (SIGKILL, OOM,
 * a crash): sweeps what the box recorded in its leftovers file, so no API server, etcd, host, operator or agent
 * of a dead box keeps running. Usage: {@code Reaper <workDir>}.
 */
public final class Reaper {

    private Reaper() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: Reaper <box work directory>");
            System.exit(2);
        }
        Path workDir = Path.of(args[0]);
        Leftovers leftovers = new Leftovers(workDir);
        System.out.println("[watchdog] the box is gone without cleaning up; sweeping " + leftovers.file());
        Leftovers.Swept swept = leftovers.sweep();
        System.out.println("[watchdog] ended " + swept);
    }
}
