package io.confext.box;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVMs of a box that died without cleaning up (SIGKILL, OOM): their PIDs are kept in
 * {@code <workDir>/children.pids}, and the next box with the same work directory ends those still running its
 * own copies of the apps (their command line names {@code <workDir>/apps/}), so no stray agent keeps acting on a
 * host. (The hosts themselves are swept by the test bed.)
 */
final class LeftoverChildren {

    private final Path pidFile;
    private final String appsDir;

    LeftoverChildren(Path workDir) {
        this.pidFile = workDir.resolve("children.pids");
        this.appsDir = workDir.resolve("apps").toString() + "/";
    }

    /** Pure: a process is ours when its command line runs one of this work directory's app copies. */
    static boolean isOurs(String cmdline, String appsDir) {
        return cmdline.contains(appsDir) && cmdline.contains("quarkus-run.jar");
    }

    /** Kills (SIGKILL) recorded children that still run our apps, then forgets them. Returns how many. */
    int sweep() {
        int killed = 0;
        for (long pid : recorded()) {
            String cmdline = cmdline(pid);
            if (cmdline != null && isOurs(cmdline, appsDir)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                killed++;
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            // the next record() rewrites it anyway
        }
        return killed;
    }

    synchronized void record(long pid) {
        try {
            Files.createDirectories(pidFile.getParent());
            Files.writeString(pidFile, pid + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot record child pid in " + pidFile, e);
        }
    }

    private List<Long> recorded() {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(pidFile, StandardCharsets.UTF_8)) {
                try {
                    pids.add(Long.parseLong(line.strip()));
                } catch (NumberFormatException ignored) {
                    // a torn line from a killed writer
                }
            }
        } catch (IOException none) {
            // no file: nothing left over
        }
        return pids;
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
            return null;
        }
    }
}
