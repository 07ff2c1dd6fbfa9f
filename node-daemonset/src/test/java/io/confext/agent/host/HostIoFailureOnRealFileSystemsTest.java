package io.confext.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.jna.Library;
import com.sun.jna.Native;
import io.confext.api.status.Reason;
import io.confext.testsupport.tier.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real I/O failures, made by real file systems on this machine (root): a tiny tmpfs filled up (ENOSPC), a read-only
 * tmpfs (EROFS), an immutable directory ({@code chattr +i}: EPERM even for root) and a directory of mode 000 entered by
 * this thread without CAP_DAC_OVERRIDE (EACCES). The agent's own write paths ({@link HostFiles}) fail on them, and each
 * failure must map to its named reason, with the path and without a Java class name in the message.
 */
@HostTest
class HostIoFailureOnRealFileSystemsTest {
    /** A Java exception class name as it would appear in a message: {@code java.io.UncheckedIOException}, or simple. */
    static final Pattern CLASS_NAME =
            Pattern.compile("[a-z]+\\.[a-z.]+[A-Z]\\w*(Exception|Error)|\\b[A-Z]\\w*(Exception|Error)\\b");

    @TempDir
    Path dir;

    Path mnt;
    private final List<String> messages = new ArrayList<>();

    @BeforeEach
    void mount() throws Exception {
        mnt = Files.createDirectories(dir.resolve("mnt"));
    }

    @AfterEach
    void unmount() throws Exception {
        run("chattr", "-R", "-i", mnt.toString());
        run("umount", "-l", mnt.toString());
        for (String m : messages) {
            assertThat(CLASS_NAME.matcher(m).find())
                    .as("no class name in: " + m)
                    .isFalse();
        }
    }

    @Test
    void aFullFileSystemIsDiskFull() throws Exception {
        exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString());
        run("dd", "if=/dev/zero", "of=" + mnt.resolve("filler"), "bs=4k", "count=64"); // ends with ENOSPC: full
        RuntimeException e = thrown(() -> HostFiles.writeAtomically(mnt.resolve("state.json"), "x".repeat(16384)));
        HostIoFailure f = named(e);
        assertThat(f.reason()).isEqualTo(Reason.DiskFull);
        assertThat(f.message())
                .contains(mnt.resolve("state.json").toString())
                .contains("No space left on device")
                .startsWith("the host's file system is full");
    }

    @Test
    void aReadOnlyFileSystemIsReadOnlyPath() throws Exception {
        exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString());
        Files.createDirectories(mnt.resolve("bundles"));
        exec("mount", "-o", "remount,ro", mnt.toString());
        HostIoFailure f = named(thrown(() -> HostFiles.writeAtomically(mnt.resolve("bundles/x.conf"), "x")));
        assertThat(f.reason()).isEqualTo(Reason.ReadOnlyPath);
        assertThat(f.message()).contains(mnt.resolve("bundles").toString()).contains("Read-only file system");
        HostIoFailure rename =
                named(thrown(() -> HostFiles.renameAtomically(mnt.resolve("bundles"), mnt.resolve("moved"))));
        assertThat(rename.reason()).isEqualTo(Reason.ReadOnlyPath);
        assertThat(rename.message()).contains(mnt.resolve("moved").toString());
    }

    @Test
    void anImmutableDirectoryIsPermissionDeniedEvenForRoot() throws Exception {
        exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString());
        Path d = Files.createDirectories(mnt.resolve("unit.d"));
        exec("chattr", "+i", d.toString());
        HostIoFailure f = named(thrown(() -> HostFiles.writeAtomically(d.resolve("50-confext-operator.conf"), "x")));
        assertThat(f.reason()).isEqualTo(Reason.PermissionDenied);
        assertThat(f.message())
                .contains(d.toString())
                .contains("Operation not permitted")
                .contains("lsattr");
    }

    @Test
    void aDirectoryTheAgentMayNotEnterIsPermissionDenied() throws Exception {
        exec("mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", mnt.toString());
        Path d = Files.createDirectories(mnt.resolve("closed"));
        exec("chmod", "000", d.toString());
        exec("chown", "65534:65534", d.toString());
        RuntimeException[] e = new RuntimeException[1];
        Thread t = new Thread(
                () -> { // capabilities are per thread: only this one loses the override
                    Caps.dropDacOverride();
                    e[0] = thrown(() -> HostFiles.writeAtomically(d.resolve("state.json"), "x"));
                });
        t.start();
        t.join();
        HostIoFailure f = named(e[0]);
        assertThat(f.reason()).isEqualTo(Reason.PermissionDenied);
        assertThat(f.message()).contains(d.toString()).contains("Permission denied");
    }

    @Test
    void anotherFailureIsHostIoFailedWithThePathAndTheOsWords() throws Exception {
        exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString());
        Path file = Files.writeString(mnt.resolve("a-file"), "x");
        // a directory where a file is: ENOTDIR, none of the named ones
        HostIoFailure f = named(thrown(() -> HostFiles.writeAtomically(file.resolve("under"), "x")));
        assertThat(f.reason()).isEqualTo(Reason.HostIoFailed);
        assertThat(f.message()).contains(file.toString()).startsWith("a file operation on the host failed");
    }

    @Test
    void hostPathsAreShownAsTheHostSeesThem() throws Exception {
        exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt.toString());
        exec("mount", "-o", "remount,ro", mnt.toString());
        Path viaProc =
                Path.of("/proc/self/root").resolve(mnt.toString().substring(1)).resolve("x");
        Path viaPid = Path.of("/proc/" + ProcessHandle.current().pid() + "/root")
                .resolve(mnt.toString().substring(1))
                .resolve("x");
        HostIoFailure f = named(thrown(() -> HostFiles.writeAtomically(viaPid, "x")));
        assertThat(f.reason()).isEqualTo(Reason.ReadOnlyPath);
        assertThat(f.message())
                .contains(mnt.resolve("x").toString())
                .doesNotContain("/proc/")
                .doesNotContain(viaProc.toString());
    }

    private HostIoFailure named(RuntimeException e) {
        assertThat(e).as("the operation failed").isNotNull();
        HostIoFailure f = HostIoFailure.of(e).orElseThrow(() -> new AssertionError("not named: " + e));
        messages.add(f.message());
        return f;
    }

    private static RuntimeException thrown(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        return null;
    }

    private static void exec(String... argv) throws Exception {
        if (run(argv) != 0) {
            fail("failed: " + String.join(" ", argv));
        }
    }

    private static int run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** capset(2) for the calling thread: takes CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH out of its effective set. */
    static final class Caps {
        interface LibC extends Library {
            int capget(int[] header, int[] data);

            int capset(int[] header, int[] data);
        }

        private static final int VERSION_3 = 0x20080522;
        private static final int DAC_BITS = (1 << 1) | (1 << 2);

        static void dropDacOverride() {
            LibC c = Native.load("c", LibC.class);
            int[] header = {VERSION_3, 0};
            int[] data = new int[6]; // two {effective, permitted, inheritable} words
            if (c.capget(header, data) != 0) {
                throw new IllegalStateException("capget failed");
            }
            data[0] &= ~DAC_BITS;
            if (c.capset(header, data) != 0) {
                throw new IllegalStateException("capset failed");
            }
        }
    }
}
