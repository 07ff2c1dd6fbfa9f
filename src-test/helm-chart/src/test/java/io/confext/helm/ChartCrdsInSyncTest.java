package io.confext.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart installs the CRDs from its crds/ folder; they must be exactly the ones generated into
 * the repository's crds/ (a stale copy would install an older API than the operator speaks).
 */
class ChartCrdsInSyncTest {

    @Test
    void chartCarriesTheGeneratedCrds() throws IOException {
        ChartLocation location = ChartLocation.fromBuild();
        List<Path> generated = yamlFiles(location.generatedCrds());
        assumeTrue(
                !generated.isEmpty(),
                "no generated CRDs in " + location.generatedCrds() + " yet (the API module writes them)");
        for (Path crd : generated) {
            Path copy = location.chartCrds().resolve(crd.getFileName());
            assertThat(copy)
                    .as("chart copy of %s (copy crds/*.yml into helm/confext-operator/crds/)", crd.getFileName())
                    .exists();
            assertThat(Files.readString(copy))
                    .as("%s in the chart matches the generated one", crd.getFileName())
                    .isEqualTo(Files.readString(crd));
        }
        assertThat(yamlFiles(location.chartCrds()))
                .as("no CRD in the chart that is not generated")
                .extracting(Path::getFileName)
                .containsExactlyInAnyOrderElementsOf(
                        generated.stream().map(Path::getFileName).toList());
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
    }
}
