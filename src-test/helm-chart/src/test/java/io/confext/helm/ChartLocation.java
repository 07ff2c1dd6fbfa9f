package io.confext.helm;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the chart and the repository's generated CRDs are, from the build's {@code confext.repo.root}. */
record ChartLocation(Path repoRoot) {

    static ChartLocation fromBuild() {
        String root = System.getProperty("confext.repo.root");
        Path repoRoot = root != null ? Path.of(root) : Path.of("../..");
        repoRoot = repoRoot.toAbsolutePath().normalize();
        if (!Files.isDirectory(repoRoot.resolve("helm/confext-operator"))) {
            throw new IllegalStateException("chart not found under " + repoRoot
                    + "/helm/confext-operator: set -Dconfext.repo.root to the repository root");
        }
        return new ChartLocation(repoRoot);
    }

    Path chart() {
        return repoRoot.resolve("helm/confext-operator");
    }

    Path chartCrds() {
        return chart().resolve("crds");
    }

    Path generatedCrds() {
        return repoRoot.resolve("crds");
    }
}
