package io.confext.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Takes a host down completely, from its record alone, so the same code serves {@link SystemdHost#close()},
 * the JVM shutdown hook and the sweep of hosts left over by a killed run: stop the container (SIGTERM to
 * systemd-nspawn, which asks the host's systemd to halt; SIGKILL to the host's PID 1 and to nspawn after a
 * grace period), unmount the overlay, delete the per-host directories and the record.
 */
final class HostTeardown {

    static final Duration GRACE = Duration.ofSeconds(20);

    private HostTeardown() {}

    static void tearDown(HostRecord record, TestbedPaths paths) {
        stopProcesses(record.nspawn(), record.leader());
        HostCgroup.cgroup2Mount()
                .map(m -> m.resolve(HostCgroup.PARENT).resolve(record.machine()))
                .ifPresent(cg -> {
                    // whatever the host left behind in its own subtree (never anything of another host)
                    for (int i = 0; i < 100 && HostCgroup.populated(cg); i++) {
                        HostCgroup.killAll(cg);
                        Mounts.sleep(50);
                    }
                    HostCgroup.remove(cg);
                });
        Mounts.unmountAll(record.dataDir());
        deleteTree(record.dataDir());
        // nspawn leaves this behind when /run is not a tmpfs ("Attempted to remove disk file system ...")
        deleteTree(Path.of("/run/systemd/nspawn/propagate", record.machine()));
        record.delete(paths.stateDir());
    }

    static void stopProcesses(Optional<ProcessIdentity> nspawn, Optional<ProcessIdentity> leader) {
        nspawn.flatMap(ProcessIdentity::handle).ifPresent(ProcessHandle::destroy);
        if (nspawn.isEmpty()) {
            // no nspawn recorded to relay the request: ask the host's systemd to power off directly
            leader.ifPresent(l -> ProcessRunner.run(
                    java.util.List.of("kill", "-s", "SIGRTMIN+4", Long.toString(l.pid())), Duration.ofSeconds(10)));
        }
        if (!waitGone(nspawn, leader, GRACE)) {
            leader.flatMap(ProcessIdentity::handle).ifPresent(ProcessHandle::destroyForcibly);
            nspawn.flatMap(ProcessIdentity::handle).ifPresent(ProcessHandle::destroyForcibly);
            if (!waitGone(nspawn, leader, Duration.ofSeconds(10))) {
                throw new TestbedException("host processes " + nspawn + " / " + leader + " survive SIGKILL");
            }
        }
    }

    private static boolean waitGone(Optional<ProcessIdentity> a, Optional<ProcessIdentity> b, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (a.map(ProcessIdentity::alive).orElse(false)
                || b.map(ProcessIdentity::alive).orElse(false)) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Mounts.sleep(50);
        }
        return true;
    }

    /** Deletes a tree without following symlinks; refuses if anything below it is still mounted. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Mounts.mountedAtOrBelow(dir).isEmpty()) {
            throw new TestbedException("refusing to delete " + dir + ": still mounted " + Mounts.mountedAtOrBelow(dir));
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
