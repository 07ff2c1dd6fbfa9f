package io.confext.testbed;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Finds the host's PID 1 (the "leader") as seen from outside: the child of systemd-nspawn that lives in a PID
 * namespace of its own and has become systemd.
 */
final class LeaderFinder {

    private LeaderFinder() {}

    static ProcessIdentity await(ProcessIdentity nspawn, Instant deadline) {
        String ourPidNs = pidNamespace(ProcessHandle.current().pid()).orElseThrow();
        while (Instant.now().isBefore(deadline)) {
            if (!nspawn.alive()) {
                throw new TestbedException("systemd-nspawn exited before the host's systemd started");
            }
            Optional<ProcessIdentity> leader = find(nspawn.pid(), ourPidNs);
            if (leader.isPresent()) {
                return leader.get();
            }
            Mounts.sleep(20);
        }
        throw new TestbedException("the host's systemd did not start before the boot timeout");
    }

    private static Optional<ProcessIdentity> find(long nspawnPid, String ourPidNs) {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (parentOf(pid) == nspawnPid
                        && pidNamespace(pid).filter(ns -> !ns.equals(ourPidNs)).isPresent()
                        && "systemd".equals(comm(pid))) {
                    return ProcessIdentity.of(pid);
                }
            }
        } catch (IOException e) {
            throw new TestbedException("cannot list /proc: " + e, e);
        }
        return Optional.empty();
    }

    private static long parentOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<String> pidNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid"))
                    .toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
