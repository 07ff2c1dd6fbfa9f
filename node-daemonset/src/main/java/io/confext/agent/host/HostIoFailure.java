package io.confext.agent.host;

import io.confext.api.status.Reason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.Locale;
import java.util.Optional;

/**
 * A failed file operation on the host, named by what a person can do about it: a full file system
 * ({@link Reason#DiskFull}), a read-only one ({@link Reason#ReadOnlyPath}), a refusal by the host
 * ({@link Reason#PermissionDenied}) or anything else ({@link Reason#HostIoFailed}), with the path and the OS's words.
 *
 * <p>Told apart by the exception's type where Java has one ({@link AccessDeniedException} for EACCES,
 * {@link ReadOnlyFileSystemException}), else by the errno the JDK reports: {@link FileSystemException#getReason()}
 * and the message of a plain {@link IOException} from a native read or write are the C library's
 * {@code strerror(errno)} (Linux glibc and musl agree on these five). Never by the class name.
 */
public record HostIoFailure(Reason reason, String message) {

    /** The errnos the agent names, by the words the JDK reports them with. */
    private enum Errno {
        ENOSPC("no space left on device", Reason.DiskFull),
        EDQUOT("disk quota exceeded", Reason.DiskFull),
        EROFS("read-only file system", Reason.ReadOnlyPath),
        EACCES("permission denied", Reason.PermissionDenied),
        EPERM("operation not permitted", Reason.PermissionDenied);

        final String words;
        final Reason reason;

        Errno(String words, Reason reason) {
            this.words = words;
            this.reason = reason;
        }

        static Optional<Errno> in(String osWords) {
            if (osWords == null) {
                return Optional.empty();
            }
            String s = osWords.toLowerCase(Locale.ROOT);
            for (Errno e : values()) {
                if (s.contains(e.words)) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
    }

    public HostIoFailure {
        Reason.require(reason.name());
    }

    /** The I/O failure on {@code t}'s cause chain, named; empty when the failure is not a file operation's. */
    public static Optional<HostIoFailure> of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ReadOnlyFileSystemException) {
                return Optional.of(named(Reason.ReadOnlyPath, t));
            }
            if (c instanceof AccessDeniedException) {
                return Optional.of(named(Reason.PermissionDenied, t));
            }
            if (c instanceof FileSystemException fse) {
                return Optional.of(
                        named(Errno.in(fse.getReason()).map(e -> e.reason).orElse(Reason.HostIoFailed), t));
            }
            if (c instanceof IOException io && !(c.getCause() instanceof IOException)) {
                return Optional.of(
                        named(Errno.in(io.getMessage()).map(e -> e.reason).orElse(Reason.HostIoFailed), t));
            }
        }
        return Optional.empty();
    }

    private static HostIoFailure named(Reason reason, Throwable t) {
        String what = FailureText.of(t);
        String io = innermostFileSystemFacts(t);
        if (!io.isEmpty() && !what.contains(io)) {
            what = what + " (" + io + ")";
        }
        return new HostIoFailure(
                reason,
                switch (reason) {
                    case DiskFull ->
                        "the host's file system is full: " + what
                                + "; free space on it, the agent tries again on its next pass";
                    case ReadOnlyPath ->
                        "the path is on a read-only file system on the host: " + what
                                + "; the agent needs it writable (a read-only mount or a remount after errors?)";
                    case PermissionDenied ->
                        "the host refused the agent: " + what
                                + "; look for an immutable attribute (lsattr), a security module (SELinux, AppArmor) or a read-only bind mount";
                    default -> "a file operation on the host failed: " + what;
                });
    }

    /** The path and the OS's words of the innermost {@link FileSystemException}, as the host sees the path. */
    private static String innermostFileSystemFacts(Throwable t) {
        FileSystemException last = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof FileSystemException fse) {
                last = fse;
            }
        }
        if (last == null || last.getFile() == null) {
            return "";
        }
        String file = FailureText.clean(last.getFile());
        // the JDK gives EACCES its own type and no words: the OS's words for it
        String osWords = last.getReason() != null
                ? last.getReason()
                : last instanceof AccessDeniedException ? "Permission denied" : null;
        return osWords == null ? file : file + ": " + osWords;
    }
}
