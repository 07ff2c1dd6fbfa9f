package io.confext.box;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Copies a built Quarkus app ({@code target/quarkus-app}) into the box's work directory, so a rebuild of the module
 * while the box runs (which deletes and rewrites {@code lib/}) cannot pull the jars from under a running or
 * restarting child JVM.
 */
final class AppSnapshot {

    private AppSnapshot() {}

    static final int ATTEMPTS = 10;

    /**
     * Copies until a copy is consistent: the app's file list, sizes and times are the same before and after (a
     * build that rewrites the app while we copy would otherwise give a mix of two builds).
     *
     * @return the copied {@code quarkus-run.jar}
     */
    static Path of(Path quarkusRunJar, Path into) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            String before = fingerprint(quarkusRunJar);
            try {
                copy(quarkusRunJar, into);
            } catch (UncheckedIOException vanished) {
                if (attempt == ATTEMPTS) {
                    throw vanished;
                }
                Box.sleep(3_000); // a file went away under us: a build is rewriting the app
                continue;
            }
            if (before.equals(fingerprint(quarkusRunJar))) {
                return into.resolve(quarkusRunJar.getFileName().toString());
            }
            Box.sleep(3_000); // a build is writing the app: let it finish
        }
        throw new IllegalStateException(
                quarkusRunJar.getParent() + " kept changing while it was copied (a build running?); try again");
    }

    private static String fingerprint(Path quarkusRunJar) {
        Path app = quarkusRunJar.getParent();
        if (!Files.isRegularFile(quarkusRunJar)) {
            return "missing";
        }
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(app)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                b.append(app.relativize(p))
                        .append(' ')
                        .append(Files.size(p))
                        .append(' ')
                        .append(Files.getLastModifiedTime(p))
                        .append('\n');
            }
        } catch (IOException e) {
            return "unreadable " + e;
        }
        return b.toString();
    }

    private static void copy(Path quarkusRunJar, Path into) {
        Path app = quarkusRunJar.getParent();
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(
                    quarkusRunJar + " is missing: build it with ./mvnw -B -q -DskipTests package");
        }
        try {
            deleteTree(into);
            try (Stream<Path> files = Files.walk(app)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = into.resolve(app.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + app + " to " + into + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
