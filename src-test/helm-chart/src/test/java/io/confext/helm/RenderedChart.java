package io.confext.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The manifests {@code helm template} printed, parsed into the typed Kubernetes model. */
record RenderedChart(List<HasMetadata> objects) {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    static RenderedChart parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(manifests)) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            Object parsed = Serialization.unmarshal(document);
            if (!(parsed instanceof HasMetadata object)) {
                throw new IllegalStateException("not a Kubernetes object:\n" + document);
            }
            objects.add(object);
        }
        return new RenderedChart(List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> matching = all(type).stream()
                .filter(o -> name.equals(o.getMetadata().getName()))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one " + type.getSimpleName() + " named " + name + ", found "
                    + matching.size() + " among " + summary());
        }
        return matching.get(0);
    }

    List<String> summary() {
        return objects.stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .toList();
    }
}
