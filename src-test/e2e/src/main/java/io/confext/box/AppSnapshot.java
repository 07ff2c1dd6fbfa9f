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

    private AppSnapshot() {
    }

    /** @return the copied {@code quarkus-run.jar} */
    static Path of(Path quarkusRunJar, Path into) {
        Path app = quarkusRunJar.getParent();
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(quarkusRunJar + " is missing: build it with ./mvnw -B -q -DskipTests package");
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
        return into.resolve(quarkusRunJar.getFileName().toString());
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
