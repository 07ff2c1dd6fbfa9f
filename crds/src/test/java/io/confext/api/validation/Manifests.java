package io.confext.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the YAML manifests of examples/ and the bad/good-input data. */
public final class Manifests {

    public static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());

    /** Paths are relative to the crds module, where Surefire runs. */
    public static final Path EXAMPLES = Path.of("../examples");

    public static final Path BAD_INPUT = Path.of("../src-test/apiserver/src/test/resources/bad-input");
    public static final Path GOOD_INPUT = Path.of("../src-test/apiserver/src/test/resources/good-input");

    private Manifests() {}

    /** Every document of a (multi-document) YAML file. */
    public static List<JsonNode> documents(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " as YAML: " + e.getMessage(), e);
        }
    }

    /** The .yaml files of a directory, sorted by name. */
    public static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.toAbsolutePath().normalize(), e);
        }
    }
}
