package io.confext.box;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The systemd image policy the box's agents mount image bundles with. systemd's default mounts a DDI's root through
 * the kernel's dm-verity; a kernel without device-mapper (many CI and container kernels, this box's included) cannot,
 * so there the agents use {@value #NO_DEVICE_MAPPER}: the agent's own user-space verification (hash tree, signature)
 * is then the only check, as it is the first one everywhere.
 */
final class ImagePolicy {

    static final String NO_DEVICE_MAPPER = "root=unprotected+absent:usr=absent";

    private ImagePolicy() {}

    /** Empty: systemd's default. */
    static Optional<String> forThisKernel() {
        String misc;
        try {
            misc = Files.readString(Path.of("/proc/misc"));
        } catch (IOException e) {
            misc = "";
        }
        return choose(misc, Files.exists(Path.of("/dev/mapper/control")));
    }

    /** Pure: {@code procMisc} is /proc/misc (device-mapper registers a misc device there when loaded). */
    static Optional<String> choose(String procMisc, boolean mapperControl) {
        boolean deviceMapper =
                mapperControl || procMisc.lines().anyMatch(l -> l.strip().endsWith(" device-mapper"));
        return deviceMapper ? Optional.empty() : Optional.of(NO_DEVICE_MAPPER);
    }
}
