package io.confext.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One file of {@code src-test/apiserver/src/test/resources/bad-input/}: a full ConfextBundle
 * manifest the API server must refuse, with a header that says how:
 * <pre>
 * # expect-field: spec.units            the field the error must name
 * # expect-message: listed only once    a substring the error must contain
 * # expect-origin: schema               optional: schema (OpenAPI constraint) or rule (CEL, default)
 * </pre>
 * For {@code rule} cases the message is part of a CEL rule's message in the CRD; for
 * {@code schema} cases it is the API server's own wording for an OpenAPI constraint.
 */
public record BadInputCase(Path file, String expectField, String expectMessage, Origin origin, JsonNode manifest) {

    public enum Origin {
        rule,
        schema
    }

    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public String toString() {
        return name();
    }

    public static BadInputCase read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> docs = Manifests.documents(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(
                    file + ": holds " + docs.size() + " documents, expected exactly one manifest");
        }
        return new BadInputCase(
                file,
                header(lines, "expect-field", file),
                header(lines, "expect-message", file),
                Origin.valueOf(headerOr(lines, "expect-origin", "rule")),
                docs.get(0));
    }

    private static String header(List<String> lines, String key, Path file) {
        String value = headerOr(lines, key, null);
        if (value == null) {
            throw new IllegalArgumentException(file + ": missing header line '# " + key + ": ...'");
        }
        return value;
    }

    private static String headerOr(List<String> lines, String key, String fallback) {
        String prefix = "# " + key + ":";
        return lines.stream()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).trim())
                .findFirst()
                .orElse(fallback);
    }
}
