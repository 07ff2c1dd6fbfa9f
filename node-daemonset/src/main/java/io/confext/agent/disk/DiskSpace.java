package io.confext.agent.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space of the file system holding a path, as the agent opens it ({@code /proc/<hostpid>/root/...}: the host's
 * file system, not the pod's). statvfs(2) on the path through {@link java.io.File#getUsableSpace()}: the space an
 * unprivileged writer has, so the blocks the file system reserves for root are not counted as room. Not
 * {@code Files.getFileStore}: it looks the path up in the agent's own mount table, where a path in the host's mount
 * namespace is not found.
 */
public final class DiskSpace {
    private DiskSpace() {}

    /** Usable bytes of the file system of {@code path}, or of its nearest existing parent (staging/ may not exist yet). */
    public static long usableBytes(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new UncheckedIOException(new IOException("no existing directory above " + path));
        }
        // statvfs on an existing directory; 0 would also be its answer to an error, which then reads as a full disk
        return p.toFile().getUsableSpace();
    }
}
