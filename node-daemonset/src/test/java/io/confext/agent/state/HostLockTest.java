package io.confext.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two agent processes: the second waits, and gets the lock once the first is SIGKILLed (no stale lock). */
class HostLockTest {
    @Test
    void secondProcessIsKeptOutUntilTheHolderDies(@TempDir Path dir) throws Exception {
        Path lockFile = dir.resolve("agent.lock");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LockHolder.class.getName(),
                        lockFile.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream()))) {
            assertThat(r.readLine()).isEqualTo("LOCKED");
            assertThatThrownBy(() -> HostLock.acquire(lockFile, Duration.ofMillis(500)))
                    .hasMessageContaining("another agent process holds")
                    .hasMessageContaining(lockFile.toString());
            holder.destroyForcibly().waitFor();
            try (HostLock lock = HostLock.acquire(lockFile, Duration.ofSeconds(5))) {
                assertThat(lock).isNotNull();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    /** Holds the lock until killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            HostLock lock = HostLock.acquire(Path.of(args[0]), Duration.ofSeconds(5));
            System.out.println("LOCKED");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
            lock.close();
        }
    }
}
