package io.confext.testbed;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Cleans up hosts of earlier runs that died without tearing down (SIGKILL, OOM, a killed surefire fork).
 * Several JVMs use the test bed at once (engineers, CI forks), so a host is stale only when the JVM that
 * booted it is gone: live hosts of other runs are never touched.
 */
final class LeftoverSweeper {

    private static final Logger LOG = Logger.getLogger(LeftoverSweeper.class.getName());

    private LeftoverSweeper() {}

    /** Pure decision: a host is stale when its owner process (PID and start time) no longer exists. */
    static boolean isStale(HostRecord record, Predicate<ProcessIdentity> alive) {
        return !alive.test(record.owner());
    }

    /** Best effort: when another thread or JVM is already sweeping, this one skips. */
    static void sweep(TestbedPaths paths) {
        try {
            Files.createDirectories(paths.stateDir());
            try (FileChannel ch = FileChannel.open(
                            paths.stateDir().resolve(".sweep.lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    FileLock lock = tryLock(ch)) {
                if (lock == null) {
                    return;
                }
                sweepRecords(paths);
                sweepOrphanDataDirs(paths);
            }
        } catch (IOException e) {
            LOG.warning("leftover sweep failed: " + e);
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void sweepRecords(TestbedPaths paths) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(paths.stateDir(), "*" + HostRecord.SUFFIX)) {
            ds.forEach(files::add);
        }
        for (Path f : files) {
            HostRecord r;
            try {
                r = HostRecord.load(f);
            } catch (IOException | RuntimeException e) {
                LOG.warning("unreadable host record " + f + " (" + e + "); remove it by hand if it is stale");
                continue;
            }
            if (isStale(r, ProcessIdentity::alive)) {
                LOG.info("tearing down test host " + r.machine() + " left over by dead process " + r.owner());
                try {
                    HostTeardown.tearDown(r, paths);
                } catch (RuntimeException e) {
                    LOG.warning("cannot tear down leftover host " + r.machine() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Data dirs whose record is gone (e.g. /run was cleared by a reboot) and that nothing has mounted. */
    private static void sweepOrphanDataDirs(TestbedPaths paths) throws IOException {
        if (!Files.isDirectory(paths.dataDir())) {
            return;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(paths.dataDir(), SystemdHost.MACHINE_PREFIX + "*")) {
            ds.forEach(dirs::add);
        }
        for (Path d : dirs) {
            String machine = d.getFileName().toString();
            if (!Files.exists(HostRecord.fileFor(paths.stateDir(), machine))
                    && Mounts.mountedAtOrBelow(d).isEmpty()) {
                HostTeardown.deleteTree(d);
            }
        }
    }
}
