package io.confext.agent.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/** What versions use on disk: the bytes of their files, read from the host. Links are counted, never followed. */
public final class VersionStorage {
    private VersionStorage() {}

    /** The bytes of every regular file under (or at) the given paths; a path that is gone counts 0. */
    public static long bytes(List<Path> paths) {
        long sum = 0;
        for (Path p : paths) {
            sum += bytes(p);
        }
        return sum;
    }

    public static long bytes(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] sum = {0};
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        sum[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted under us: nothing of it is stored any more
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + path + ": " + e.getMessage(), e);
        }
        return sum[0];
    }

    /** When the entry got where it is (its modification time), in milliseconds: the age retention sorts by. */
    public static long age(Path path) {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0; // unknown: oldest, evicted first among its kind
        }
    }
}
