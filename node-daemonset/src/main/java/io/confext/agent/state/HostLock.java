package io.confext.agent.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One agent at a time per host: an fcntl lock on a file in the state directory. Two agent pods overlap during a
 * DaemonSet update; the kernel drops the lock when its holder dies (also on SIGKILL), so there is no stale lock.
 */
public final class HostLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits up to {@code wait} for the lock; fails with a message naming the file when another agent holds it. */
    public static HostLock acquire(Path file, Duration wait) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Instant deadline = Instant.now().plus(wait);
            while (true) {
                FileLock l = ch.tryLock();
                if (l != null) {
                    return new HostLock(ch, l);
                }
                if (Instant.now().isAfter(deadline)) {
                    ch.close();
                    throw new IllegalStateException("another agent process holds " + file + " (waited "
                            + wait.toSeconds() + "s); only one agent may change a host at a time");
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
