package io.confext.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.UUID;

/**
 * The host's file system as seen through {@code /proc/<pid>/root}: the same view PID 1 of the host has,
 * whether the agent runs in a pod with hostPID (pid 1) or in a test next to an nspawn host (its leader pid).
 * Every write that a host process may observe is made atomic here (temp file + fsync + rename + directory fsync).
 */
public final class HostFiles {
    private final Path root;
    /** One per host: it holds the native openat2 binding, loaded once. */
    private final HostPaths paths;

    public HostFiles(long hostPid) {
        this(Path.of("/proc", Long.toString(hostPid), "root"));
    }

    /** For tests of the pure file logic: any directory can stand for a host root. */
    public HostFiles(Path root) {
        this.root = root;
        this.paths = new HostPaths(root);
    }

    public Path root() {
        return root;
    }

    /** Host paths resolved without following links the agent did not create (see {@link HostPaths}). */
    public HostPaths paths() {
        return paths;
    }

    /** Maps an absolute host path ("/etc/os-release") to the path the agent opens. */
    public Path resolve(String hostPath) {
        if (!hostPath.startsWith("/")) {
            throw new IllegalArgumentException("host path must be absolute: " + hostPath);
        }
        return root.resolve(hostPath.substring(1));
    }

    /**
     * Reads a host-owned file ({@code /etc/os-release}, the node policy, ...) where the host would: links on its way,
     * an absolute {@code /etc/os-release -> /usr/lib/os-release} included, are followed inside the host's root.
     */
    public Optional<String> readString(String hostPath) {
        return readString(paths.inRoot(hostPath));
    }

    public static Optional<String> readString(Path path) {
        try {
            return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes the whole file or nothing: readers see the old or the new content, never a part. */
    public static void writeAtomically(Path target, String content) {
        writeAtomically(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeAtomically(Path target, byte[] content) {
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames a complete tree into place in one step (same file system required, checked by the kernel). */
    public static void renameAtomically(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(to.getParent());
            fsyncDirectory(from.getParent());
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException(
                    "cannot rename " + from + " to " + to
                            + " atomically: they must be on the same file system (put the state directory on the file system of "
                            + to.getParent() + ")",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void fsyncFile(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync " + file + ": " + e.getMessage(), e);
        }
    }

    public static void deleteTree(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null) {
                        throw exc;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    public static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is hidden (dot name) and harmless
        }
    }
}
