package io.confext.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Overlay mounts of the outer machine, done with mount(8)/umount(8) (no extra native code needed). */
final class Mounts {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Mounts() {}

    static void mountOverlay(Path lower, Path upper, Path work, Path target) {
        ProcessRunner.runOk(
                List.of(
                        "mount",
                        "-t",
                        "overlay",
                        "overlay",
                        "-o",
                        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work,
                        target.toString()),
                TIMEOUT);
    }

    /** Mount points at or below {@code dir} in this process's mount namespace, deepest first. */
    static List<Path> mountedAtOrBelow(Path dir) {
        List<Path> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                Path mp = Path.of(unescape(line.split(" ")[4]));
                if (mp.startsWith(dir)) {
                    found.add(mp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        found.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return found;
    }

    /** Unmounts everything at or below {@code dir}; lazily if a plain unmount is refused. */
    static void unmountAll(Path dir) {
        for (int attempt = 0; attempt < 5; attempt++) {
            List<Path> mounted = mountedAtOrBelow(dir);
            if (mounted.isEmpty()) {
                return;
            }
            for (Path mp : mounted) {
                List<String> cmd =
                        attempt < 3 ? List.of("umount", mp.toString()) : List.of("umount", "-l", mp.toString());
                ProcessRunner.run(cmd, TIMEOUT);
            }
            if (!mountedAtOrBelow(dir).isEmpty()) {
                sleep(200L * (attempt + 1));
            }
        }
        List<Path> left = mountedAtOrBelow(dir);
        if (!left.isEmpty()) {
            throw new TestbedException("cannot unmount " + left + " (see `fuser -vm` on it)");
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted", e);
        }
    }
}
