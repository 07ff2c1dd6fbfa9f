package io.confext.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What a test host needs from the outer machine, checked up front so failures say what to do. */
public final class Prerequisites {

    private Prerequisites() {}

    /**
     * A capability this machine really lacks (not root, no systemd-nspawn, no overlayfs, no /dev/loop-control):
     * tests are skipped with this reason. Empty when hosts can be booted here.
     */
    public static Optional<String> missingCapability() {
        if (!uidIsZero()) {
            return Optional.of("test hosts need root (mounts, systemd-nspawn, nsenter)");
        }
        for (String tool : List.of("systemd-nspawn", "nsenter", "mount", "umount")) {
            if (!onPath(tool)) {
                return Optional.of(tool + " is not installed (run scripts/prepare-test-hosts)");
            }
        }
        try {
            if (!Files.readString(Path.of("/proc/filesystems")).contains("overlay")) {
                return Optional.of("the kernel has no overlayfs");
            }
        } catch (IOException e) {
            return Optional.of("cannot read /proc/filesystems: " + e);
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return Optional.of("the kernel has no loop devices (/dev/loop-control missing)");
        }
        return Optional.empty();
    }

    /** Everything needed to boot {@code image}: a capability problem or a missing cached rootfs. */
    static Optional<String> check(TestbedPaths paths, HostImage image) {
        Optional<String> missing = missingCapability();
        if (missing.isPresent()) {
            return missing;
        }
        Path rootfs = paths.rootfs(image);
        if (!Files.isRegularFile(rootfs.resolve("usr/lib/systemd/systemd"))) {
            return Optional.of("no cached " + image.codename() + " root file system at " + rootfs
                    + ": run scripts/prepare-test-hosts (or set CONFEXT_TESTBED_CACHE)");
        }
        return Optional.empty();
    }

    private static boolean uidIsZero() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : ProcessRunner.CLEAN_ENV.get("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
