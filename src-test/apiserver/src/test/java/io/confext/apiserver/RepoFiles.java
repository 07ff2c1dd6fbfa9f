package io.confext.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files of the repository the tier checks against the real server: CRDs, examples, the chart. */
record RepoFiles(Path root) {

    static RepoFiles fromBuild() {
        String root = System.getProperty("confext.repo.root");
        Path path = (root != null ? Path.of(root) : Path.of("../.."))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(path.resolve("helm/confext-operator"))) {
            throw new IllegalStateException("repository root not found at " + path + ": set -Dconfext.repo.root");
        }
        return new RepoFiles(path);
    }

    List<Path> crds() {
        return yamlFiles(root.resolve("crds"));
    }

    List<Path> examples() {
        return yamlFiles(root.resolve("examples"));
    }

    Path chart() {
        return root.resolve("helm/confext-operator");
    }

    static List<Path> yamlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
