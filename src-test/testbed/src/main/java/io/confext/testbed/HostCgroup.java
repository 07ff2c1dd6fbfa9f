package io.confext.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Each host's own cgroup (v2) subtree. Why: with {@code --keep-unit --register=no} and no systemd outside,
 * systemd-nspawn puts the container below its own cgroup in a fixed {@code payload/} child, so all hosts
 * started from one cgroup would share {@code /payload/system.slice/...}: a unit of one host would see the
 * processes of the same-named unit of another host in "its" cgroup (its stop then hangs in final-sigterm
 * waiting for foreign processes, and a cgroup kill would hit the other host). Starting nspawn inside
 * {@code <cgroup2>/confext-testbed/<machine>/} gives every host a subtree of its own.
 */
final class HostCgroup {

    static final String PARENT = "confext-testbed";

    private HostCgroup() {}

    /** The cgroup2 mount point: /sys/fs/cgroup on unified hosts, /sys/fs/cgroup/unified on hybrid ones. */
    static Optional<Path> cgroup2Mount() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] halves = line.split(" - ", 2);
                if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
                    return Optional.of(Path.of(Mounts.unescape(halves[0].split(" ")[4])));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static Path create(String machine) {
        Path mount = cgroup2Mount()
                .orElseThrow(
                        () -> new TestbedException(
                                "no cgroup2 hierarchy is mounted: systemd >= 258 in a test host needs one (mount -t cgroup2 none /sys/fs/cgroup/unified)"));
        Path dir = mount.resolve(PARENT).resolve(machine);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TestbedException("cannot create cgroup " + dir + ": " + e, e);
        }
        return dir;
    }

    /** Kills every process left in the host's own subtree (kernel >= 5.14 cgroup.kill); best effort. */
    static void killAll(Path dir) {
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            try {
                Files.writeString(kill, "1");
            } catch (IOException e) {
                // nothing left to kill, or an older kernel
            }
        }
    }

    static boolean populated(Path dir) {
        try {
            return Files.readAllLines(dir.resolve("cgroup.events")).contains("populated 1");
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the (process-free) subtree, deepest first; cgroup directories go with rmdir only. */
    static void remove(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(dir)) {
            dirs = s.filter(Files::isDirectory)
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        } catch (IOException e) {
            throw new TestbedException("cannot list cgroup " + dir + ": " + e, e);
        }
        for (Path d : dirs) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.deleteIfExists(d);
                    break;
                } catch (IOException e) {
                    if (attempt >= 20) {
                        throw new TestbedException("cannot remove cgroup " + d + " (processes left in it?): " + e, e);
                    }
                    Mounts.sleep(50);
                }
            }
        }
    }
}
