package io.confext.agent.apply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.confext.agent.host.HostFiles;

/**
 * Writes a unit's drop-in atomically, and only when its content changes (the caller then runs one daemon-reload).
 * It lives in /etc/systemd/system so it survives reboots; when the host's /etc is read-only (a host-scope confext
 * merged by systemd-confext with its default --mutable=no makes the whole /etc read-only, seen on systemd 262) it
 * goes to /run/systemd/system instead, which the agent rewrites after every boot.
 */
public final class DropInStore {
    private static final String PERSISTENT = "/etc/systemd/system/";
    private static final String RUNTIME = "/run/systemd/system/";
    private final HostFiles host;

    public DropInStore(HostFiles host) {
        this.host = host;
    }

    private Path file(String base, String unit) {
        return host.resolve(base + unit + ".d/" + DropIn.FILE_NAME);
    }

    public Optional<String> current(String unit) {
        return HostFiles.readString(file(PERSISTENT, unit)).or(() -> HostFiles.readString(file(RUNTIME, unit)));
    }

    /** @return true when something changed on the host */
    public boolean put(String unit, String content) {
        if (current(unit).orElse("").equals(content)) {
            return false;
        }
        if (content.isEmpty()) {
            delete(file(PERSISTENT, unit));
            delete(file(RUNTIME, unit));
            return true;
        }
        try {
            HostFiles.writeAtomically(file(PERSISTENT, unit), content);
            delete(file(RUNTIME, unit));
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof FileSystemException fse) || fse.getMessage() == null
                    || !fse.getMessage().contains("Read-only")) {
                throw e;
            }
            HostFiles.writeAtomically(file(RUNTIME, unit), content);
        }
        return true;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (FileSystemException e) {
            if (e.getMessage() == null || !e.getMessage().contains("Read-only")) {
                throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
