package io.confext.apiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One file of {@code src/test/resources/bad-input/}: an object the API must refuse, with header
 * comments {@code # expect-field: <path>} (the field the error must name) and
 * {@code # expect-message: <text>} (text the error must contain); either may repeat.
 */
record BadInputCase(String file, GenericKubernetesResource object, List<String> fields, List<String> messages) {

    static BadInputCase read(Path file) {
        try {
            String yaml = Files.readString(file);
            List<String> fields = new ArrayList<>();
            List<String> messages = new ArrayList<>();
            for (String line : yaml.lines().toList()) {
                String trimmed = line.trim();
                header(trimmed, "# expect-field:", fields);
                header(trimmed, "# expect-message:", messages);
            }
            if (fields.isEmpty()) {
                throw new IllegalArgumentException(file + " has no '# expect-field: <path>' header");
            }
            GenericKubernetesResource object = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
            return new BadInputCase(file.getFileName().toString(), object, List.copyOf(fields), List.copyOf(messages));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void header(String line, String prefix, List<String> into) {
        if (line.startsWith(prefix)) {
            String value = line.substring(prefix.length()).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (!value.isEmpty()) {
                into.add(value);
            }
        }
    }

    @Override
    public String toString() {
        return file;
    }
}
