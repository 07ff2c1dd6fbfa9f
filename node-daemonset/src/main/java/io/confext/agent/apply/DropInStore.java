package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.host.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a unit's drop-in atomically, and only when its content changes (the caller then runs one daemon-reload).
 * It lives in /etc/systemd/system so it survives reboots. Host-scope merges keep /etc writable since systemd 256
 * ({@link HostMergePlan}); only where /etc/systemd/system is read-only all the same (a host-scope merge on systemd
 * 254/255, a read-only /etc of the host's own) it goes to /run/systemd/system instead, which the agent rewrites after
 * every boot. Read-only is a fact asked of the kernel ({@code access(2)} with W_OK, which answers EROFS on a read-only
 * mount even for root), never read out of an exception's message.
 *
 * <p>{@code /etc/systemd/system} and {@code /run/systemd/system} are the host's (followed inside its root, NixOS makes
 * them of links); {@code <unit>.d/} and the drop-in are the agent's: a link there is refused ({@link HostPaths.Refused})
 * before anything is written, so the agent never writes a unit's settings through a planted link.
 */
public final class DropInStore {
    private static final String PERSISTENT = "/etc/systemd/system/";
    private static final String RUNTIME = "/run/systemd/system/";
    private final HostPaths paths;

    public DropInStore(HostFiles host) {
        this.paths = host.paths();
    }

    private Path file(String base, String unit) {
        return paths.agentOwned(base, unit + ".d/" + DropIn.FILE_NAME);
    }

    /** Refuses, before a bundle's pass writes anything, when a unit's drop-in directory or file is a link. */
    public void check(Iterable<String> units) {
        for (String unit : units) {
            file(PERSISTENT, unit);
            file(RUNTIME, unit);
        }
    }

    public Optional<String> current(String unit) {
        return HostFiles.readString(file(PERSISTENT, unit)).or(() -> HostFiles.readString(file(RUNTIME, unit)));
    }

    /** Where a unit's drop-in is as the host names it: the runtime one when only that exists, else the persistent one. */
    public String hostPath(String unit) {
        boolean runtimeOnly = HostFiles.readString(file(PERSISTENT, unit)).isEmpty()
                && HostFiles.readString(file(RUNTIME, unit)).isPresent();
        return (runtimeOnly ? RUNTIME : PERSISTENT) + unit + ".d/" + DropIn.FILE_NAME;
    }

    /** @return true when something changed on the host */
    public boolean put(String unit, String content) {
        if (current(unit).orElse("").equals(content)) {
            return false;
        }
        if (content.isEmpty()) {
            if (persistentWritable()) {
                delete(file(PERSISTENT, unit));
            }
            delete(file(RUNTIME, unit));
            return true;
        }
        if (persistentWritable()) {
            HostFiles.writeAtomically(file(PERSISTENT, unit), content);
            delete(file(RUNTIME, unit));
        } else {
            HostFiles.writeAtomically(file(RUNTIME, unit), content);
        }
        return true;
    }

    /** Whether drop-ins can go to /etc/systemd/system now (false on a read-only mount there); asked of what exists of it. */
    private boolean persistentWritable() {
        Path p = paths.inRoot(PERSISTENT);
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && Files.isWritable(p);
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
