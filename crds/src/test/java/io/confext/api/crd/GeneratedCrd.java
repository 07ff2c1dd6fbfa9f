package io.confext.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundlePolicy;
import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CRD of one kind as the build generates it (fabric8 crd-generator-maven-plugin writes
 * {@code target/classes/META-INF/fabric8/<plural>.<group>-v1.yml}), in the form that is committed
 * under {@code crds/} and {@code helm/confext-operator/crds/}.
 *
 * <p>One change to the generator's output: the generator sorts printer columns by JSON path, so
 * {@code kubectl get} would show AGE first; they are put back in the order the
 * {@code @AdditionalPrinterColumn} annotations are declared on the class.
 */
public record GeneratedCrd(Class<? extends HasMetadata> type, String plural) {

    public static final List<GeneratedCrd> ALL = List.of(
            new GeneratedCrd(ConfextBundle.class, "confextbundles"),
            new GeneratedCrd(ConfextNode.class, "confextnodes"),
            new GeneratedCrd(ConfextBundlePolicy.class, "confextbundlepolicies"));

    public static final String REFRESH_COMMAND = "./mvnw -B -o -pl crds verify -Dcrds.update=true";

    static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES))
            .build();

    public String crdName() {
        return plural + "." + ConfextBundle.GROUP;
    }

    /** Name of the committed file, in crds/ and in the chart's crds/. */
    public String fileName() {
        return crdName() + ".yaml";
    }

    /** The generator's output, parsed. */
    public ObjectNode generatedTree() {
        String resource = "META-INF/fabric8/" + crdName() + "-v1.yml";
        try (InputStream in = GeneratedCrd.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: the crd-generator-maven-plugin did not run "
                        + "(run the build through Maven: " + REFRESH_COMMAND + ")");
            }
            ObjectNode crd = (ObjectNode) YAML.readTree(in);
            orderPrinterColumns(crd);
            return crd;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text that is committed. */
    public String committedText() {
        try {
            return "# Generated from crds/src/main/java/io/confext/api/v1alpha1 by the build; do not edit.\n"
                    + "# Refresh after changing the Java types: " + REFRESH_COMMAND + "\n"
                    + YAML.writeValueAsString(generatedTree());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void orderPrinterColumns(ObjectNode crd) {
        AdditionalPrinterColumn[] declared = type.getAnnotationsByType(AdditionalPrinterColumn.class);
        for (JsonNode version : crd.path("spec").path("versions")) {
            JsonNode columns = version.get("additionalPrinterColumns");
            if (columns == null) {
                continue;
            }
            List<JsonNode> remaining = new ArrayList<>();
            columns.forEach(remaining::add);
            ArrayNode ordered = JsonNodeFactory.instance.arrayNode();
            for (AdditionalPrinterColumn column : declared) {
                remaining.stream()
                        .filter(c -> c.path("name").asText().equals(column.name()))
                        .findFirst()
                        .ifPresent(c -> {
                            ordered.add(c);
                            remaining.remove(c);
                        });
            }
            remaining.forEach(ordered::add);
            ((ObjectNode) version).set("additionalPrinterColumns", ordered);
        }
    }
}
