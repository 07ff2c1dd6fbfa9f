package io.confext.agent.host;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's own answer to "is there a symbolic link on this path below that directory": {@code openat2(2)} with
 * {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS}, through JNA. {@link HostPaths} walks the path
 * itself first (to name the link in its refusal); this makes the kernel check the whole path in one resolution, so a
 * component swapped for a link while the walk went along is caught too.
 *
 * <p>Linux 5.6 and later on x86-64 and arm64 (syscall 437 on both); elsewhere, or where a seccomp profile refuses the
 * call, {@link #linkBeneath} answers empty and the walk alone decides.
 */
final class Openat2 {
    private static final long SYS_OPENAT2 = 437;
    private static final int O_PATH = 010000000;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final long RESOLVE_BENEATH = 0x08;
    private static final int ENOENT = 2;
    private static final int ENOTDIR = 20;
    private static final int ELOOP = 40;

    interface LibC extends Library {
        int open(String path, int flags);

        long syscall(long number, Object... args);

        int close(int fd);
    }

    private final LibC libc;

    private Openat2(LibC libc) {
        this.libc = libc;
    }

    /** Empty where the call does not exist here (another architecture, no native access). */
    static Optional<Openat2> load() {
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Openat2(Native.load("c", LibC.class)));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether resolving {@code relative} below {@code dir} meets a symbolic link (the last component included).
     * A missing component is no link (nothing below it exists either). Empty when the kernel could not say: no
     * openat2 (ENOSYS, or refused by seccomp), or {@code dir} cannot be opened.
     */
    Optional<Boolean> linkBeneath(Path dir, String relative) {
        int dirFd = libc.open(dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0) {
            return Optional.empty();
        }
        try {
            if (relative.isEmpty()) {
                return Optional.of(false);
            }
            try (Memory how = new Memory(24)) { // struct open_how { u64 flags; u64 mode; u64 resolve; }
                how.setLong(0, O_PATH | O_CLOEXEC); // no O_NOFOLLOW: a link as the last component is refused too
                how.setLong(8, 0);
                how.setLong(16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
                long fd = libc.syscall(SYS_OPENAT2, (long) dirFd, relative, how, 24L);
                if (fd >= 0) {
                    libc.close((int) fd);
                    return Optional.of(false);
                }
                int errno = Native.getLastError();
                if (errno == ELOOP) {
                    return Optional.of(true);
                }
                if (errno == ENOENT || errno == ENOTDIR) {
                    return Optional.of(false); // not there (yet): the agent creates it
                }
                return Optional.empty(); // ENOSYS, EPERM from seccomp, EXDEV, ...: the walk decides alone
            }
        } finally {
            libc.close(dirFd);
        }
    }
}
