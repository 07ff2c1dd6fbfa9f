package io.confext.agent.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space of the file system holding a path, as the agent opens it ({@code /proc/<hostpid>/root/...}: the host's
 * file system, not the pod's). statvfs through {@link java.nio.file.FileStore#getUsableSpace()}: the space an
 * unprivileged writer has, so the blocks the file system reserves for root are not counted as room.
 */
public final class DiskSpace {
    private DiskSpace() {
    }

    /** Usable bytes of the file system of {@code path}, or of its nearest existing parent (staging/ may not exist yet). */
    public static long usableBytes(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new UncheckedIOException(new IOException("no existing directory above " + path));
        }
        try {
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of the file system of " + p + ": " + e.getMessage(), e);
        }
    }
}
