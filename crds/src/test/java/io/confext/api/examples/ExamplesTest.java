package io.confext.api.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.confext.api.crd.GeneratedCrd;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.validation.Manifests;
import io.confext.api.validation.OfflineCrdValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest in examples/ survives the Java types without loss and passes the CRD's validation. */
class ExamplesTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, Class<?>> TYPES = Map.of(
            "ConfextBundle", ConfextBundle.class,
            "ConfextNode", ConfextNode.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class);

    static List<Path> examples() {
        return Manifests.yamlFiles(Manifests.EXAMPLES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void roundTripsThroughTheJavaTypesWithoutLoss(Path file) throws Exception {
        for (JsonNode doc : Manifests.documents(file)) {
            Class<?> type = TYPES.get(doc.path("kind").asText());
            assertThat(type)
                    .as("%s: unexpected kind %s", file, doc.path("kind"))
                    .isNotNull();
            Object typed = SERIALIZATION.unmarshal(Manifests.YAML.writeValueAsString(doc), type);
            assertThat(typed).isInstanceOf(type);
            JsonNode back = Manifests.YAML.readTree(SERIALIZATION.asJson(typed));
            assertThat(back)
                    .as("%s (%s) after a round trip through %s", file, doc.at("/metadata/name"), type.getSimpleName())
                    .isEqualTo(Manifests.YAML.readTree(Manifests.YAML.writeValueAsString(doc)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void passesTheCrdValidation(Path file) {
        for (JsonNode doc : Manifests.documents(file)) {
            GeneratedCrd crd = GeneratedCrd.ALL.stream()
                    .filter(c ->
                            c.type().getSimpleName().equals(doc.path("kind").asText()))
                    .findFirst()
                    .orElse(null);
            if (crd != null) {
                assertThat(new OfflineCrdValidator(crd.generatedTree()).validate(doc))
                        .as("%s", file)
                        .isEmpty();
            }
        }
    }

    @Test
    void everySourceKindAndScopeHasAnExample() {
        Set<String> seen = new HashSet<>();
        List<String> kinds = new ArrayList<>();
        for (Path file : examples()) {
            for (JsonNode doc : Manifests.documents(file)) {
                kinds.add(doc.path("kind").asText());
                JsonNode spec = doc.path("spec");
                if (doc.path("kind").asText().equals("ConfextBundle")) {
                    String source = spec.path("source").fieldNames().next();
                    String scope = spec.path("scope").asText("Service");
                    seen.add(source + "+" + scope);
                    if (spec.path("verification").has("trust")) {
                        seen.add(source + "+trust="
                                + spec.at("/verification/trust").asText());
                    }
                }
            }
        }
        assertThat(seen)
                .contains(
                        "files+Service",
                        "files+Host",
                        "image+Service",
                        "image+Host",
                        "configMapRef+Service",
                        "image+trust=Secret",
                        "image+trust=Node");
        assertThat(kinds).contains("ConfextNode");
    }
}
