package io.confext.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs real {@code helm template} on the chart, as release {@value #RELEASE} in namespace
 * {@value #NAMESPACE}, with an optional values file (given as YAML text).
 */
final class ChartRenderer {

    static final String RELEASE = "confext-operator";
    static final String NAMESPACE = "confext-system";
    /** helm-java's Helm would otherwise assume Kubernetes 1.20, below the chart's kubeVersion. */
    static final String KUBE_VERSION = "1.36.3";

    private final ChartLocation location;

    ChartRenderer(ChartLocation location) {
        this.location = location;
    }

    /** The manifests as Helm prints them; throws Helm's error (a schema violation, say) as is. */
    String renderRaw(String valuesYaml) {
        TemplateCommand template = new Helm(location.chart())
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesYaml.isBlank()) {
            return template.call();
        }
        Path valuesFile = null;
        try {
            valuesFile = Files.createTempFile("confext-values-", ".yaml");
            Files.writeString(valuesFile, valuesYaml);
            return template.withValuesFile(valuesFile).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (valuesFile != null) {
                valuesFile.toFile().delete();
            }
        }
    }

    RenderedChart render(String valuesYaml) {
        return RenderedChart.parse(renderRaw(valuesYaml));
    }
}
