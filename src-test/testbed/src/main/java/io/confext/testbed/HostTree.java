package io.confext.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Lays out one host's own writable root file system from the cached tree, cheaply.
 *
 * <p>Why not one overlayfs for the whole root: systemd (>= 258) refreshes a unit's confext stack on reload
 * by taking the unit's /etc overlay apart and rebuilding it on what it finds below, and it refuses when the
 * root file system's /etc is itself on an overlay ("'/etc' is still an overlay after opening mount tree",
 * the reload then hangs until its timeout). So the root is a plain directory holding a copy of everything
 * but /usr (under 10 MB once apt's caches are left out), and only /usr, the bulk, is an overlay on the
 * cached tree's /usr with a per-host upper layer.
 *
 * <pre>
 * dataDir/root        plain copy of the cached tree without usr/ (nspawn --directory)
 * dataDir/root/usr    overlay: lower = cache/usr (read-only), upper = dataDir/usr-upper, work = dataDir/usr-work
 * </pre>
 */
final class HostTree {

    static final String ROOT = "root";
    /** Not needed in a host (no network, apt never runs): saves copying ~100 MB per host. */
    private static final List<String> SKIPPED = List.of("./usr", "./var/cache/apt", "./var/lib/apt/lists");

    private HostTree() {}

    static void create(Path cachedTree, Path dataDir) {
        Path root = dataDir.resolve(ROOT);
        Path upper = dataDir.resolve("usr-upper");
        Path work = dataDir.resolve("usr-work");
        try {
            Files.createDirectories(root);
            Files.createDirectories(upper);
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder excludes = new StringBuilder();
        for (String s : SKIPPED) {
            excludes.append(" --exclude='").append(s).append('\'');
        }
        // tar keeps owners, modes, symlinks, device nodes and xattrs exactly, and can leave things out
        ProcessRunner.runOk(
                List.of(
                        "/bin/bash",
                        "-c",
                        "set -euo pipefail; " + "tar --numeric-owner --xattrs -C \"$1\"" + excludes
                                + " -cf - . | tar --numeric-owner --xattrs -C \"$2\" -xpf -",
                        "bash",
                        cachedTree.toString(),
                        root.toString()),
                Duration.ofMinutes(5));
        try {
            Files.createDirectories(
                    root.resolve("usr"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.createDirectories(root.resolve("var/cache/apt"));
            Files.createDirectories(root.resolve("var/lib/apt/lists/partial"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Mounts.mountOverlay(cachedTree.resolve("usr"), upper, work, root.resolve("usr"));
    }
}
