package io.confext.agent.verify;

import java.nio.file.Path;

/**
 * The NAME in {@code extension-release.NAME} that systemd requires of an extension: the image's
 * file name without {@code .confext.raw} / {@code .raw}, cut at the first {@code _} or {@code +}
 * (so {@code chrony_4.5.2.raw} and the directory {@code chrony_4.5.2/} both need {@code extension-release.chrony}).
 */
public final class ExtensionName {
    private ExtensionName() {}

    public static String of(String fileName) {
        String n = fileName;
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.endsWith(".confext.raw")) {
            n = n.substring(0, n.length() - ".confext.raw".length());
        } else if (n.endsWith(".raw")) {
            n = n.substring(0, n.length() - ".raw".length());
        }
        int cut = n.length();
        int us = n.indexOf('_');
        int plus = n.indexOf('+');
        if (us >= 0) {
            cut = Math.min(cut, us);
        }
        if (plus >= 0) {
            cut = Math.min(cut, plus);
        }
        return n.substring(0, cut);
    }

    public static String of(Path image) {
        return of(image.getFileName().toString());
    }
}
