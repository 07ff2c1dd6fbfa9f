package io.confext.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs under crds/ (for {@code kubectl apply -f crds/}) and in the Helm chart must be exactly
 * what the build generates from the Java types. With {@code -Dcrds.update=true} the test writes
 * them instead of comparing.
 */
class CommittedCrdsTest {

    /** Surefire runs in the module directory, crds/. */
    private static final List<Path> COMMITTED_DIRS = List.of(Path.of("."), Path.of("../helm/confext-operator/crds"));

    static List<GeneratedCrd> kinds() {
        return GeneratedCrd.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void committedCrdIsWhatTheBuildGenerates(GeneratedCrd crd) throws IOException {
        String expected = crd.committedText();
        for (Path dir : COMMITTED_DIRS) {
            Path file = dir.resolve(crd.fileName()).normalize();
            if (Boolean.getBoolean("crds.update")) {
                Files.createDirectories(dir);
                Files.writeString(file, expected, StandardCharsets.UTF_8);
            }
            assertThat(file)
                    .as(
                            "%s is missing or differs from the CRD generated from the Java types; refresh it with: %s",
                            file.toAbsolutePath().normalize(), GeneratedCrd.REFRESH_COMMAND)
                    .exists();
            assertThat(Files.readString(file, StandardCharsets.UTF_8))
                    .as(
                            "%s differs from the CRD generated from the Java types; refresh it with: %s",
                            file.toAbsolutePath().normalize(), GeneratedCrd.REFRESH_COMMAND)
                    .isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void printerColumnsComeInTheDeclaredOrder(GeneratedCrd crd) {
        var names = crd.generatedTree()
                .at("/spec/versions/0/additionalPrinterColumns")
                .findValuesAsText("name");
        switch (crd.plural()) {
            case "confextbundles" ->
                assertThat(names).containsExactly("VERSION", "UPDATED", "READY", "FAILED", "NOT-ELIGIBLE", "AGE");
            case "confextnodes" -> assertThat(names).containsExactly("ACTIVE", "FAILED", "SYSTEMD", "AGE");
            default -> assertThat(names).containsExactly("SIGNED", "AGE");
        }
    }

    /** The API server refuses a CRD whose rule fieldPath does not lead into the schema (metadata does not). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyRuleFieldPathLeadsIntoTheSchema(GeneratedCrd crd) {
        List<String> broken = new ArrayList<>();
        collectBrokenFieldPaths(crd.generatedTree().at("/spec/versions/0/schema/openAPIV3Schema"), "", broken);
        assertThat(broken).isEmpty();
    }

    private static void collectBrokenFieldPaths(JsonNode schema, String path, List<String> broken) {
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            if (rule.has("fieldPath")) {
                JsonNode target = schema;
                for (String step : rule.get("fieldPath").asText().substring(1).split("\\.")) {
                    target = target.path("properties").path(step);
                }
                if (target.isMissingNode()) {
                    broken.add(path + " -> " + rule.get("fieldPath").asText());
                }
            }
        }
        schema.path("properties")
                .fields()
                .forEachRemaining(p -> collectBrokenFieldPaths(p.getValue(), path + "." + p.getKey(), broken));
        if (schema.has("items")) {
            collectBrokenFieldPaths(schema.get("items"), path + "[]", broken);
        }
    }

    /** kubectl explain must be useful: every field we define carries a description. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyFieldHasADescription(GeneratedCrd crd) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(
                crd.generatedTree().at("/spec/versions/0/schema/openAPIV3Schema/properties"), "", undocumented);
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(JsonNode properties, String path, List<String> undocumented) {
        properties.fields().forEachRemaining(p -> {
            String field = path + "." + p.getKey();
            JsonNode schema = p.getValue();
            if (!schema.hasNonNull("description")) {
                undocumented.add(field);
            }
            // Condition and LabelSelector are fabric8's types (metav1.Condition, metav1.LabelSelector), documented by
            // Kubernetes itself.
            if (p.getKey().equals("conditions") || schema.path("properties").has("matchExpressions")) {
                return;
            }
            JsonNode nested = schema.has("items") ? schema.get("items") : schema;
            if (nested.has("properties")) {
                collectUndocumented(nested.get("properties"), field, undocumented);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void crdIsClusterScopedWithStatusSubresource(GeneratedCrd crd) {
        var tree = crd.generatedTree();
        assertThat(tree.at("/spec/scope").asText()).isEqualTo("Cluster");
        // A bundle policy is read by the API server only: nothing writes a status to it.
        boolean policy = crd.plural().equals("confextbundlepolicies");
        assertThat(tree.at("/spec/versions/0/subresources/status").isObject()).isEqualTo(!policy);
        assertThat(tree.at("/spec/names/shortNames/0").asText()).isIn("cxb", "cxn", "cxbp");
    }
}
