package io.confext.kubectl.render;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which stored revision a command-line word names: a ControllerRevision name, or a version (the newest revision of
 * that version: units, priority or reload may change under one version, its files may not).
 */
public final class RevisionChoice {
    private RevisionChoice() {}

    public static Optional<StoredRevision> pick(String word, List<StoredRevision> revisions) {
        Optional<StoredRevision> byName =
                revisions.stream().filter(r -> r.name().equals(word)).findFirst();
        if (byName.isPresent()) {
            return byName;
        }
        return revisions.stream()
                .filter(r -> r.version().equals(word))
                .max(Comparator.comparingLong(StoredRevision::number));
    }

    /** The versions there are to choose from, oldest revision first, for the error message. */
    public static String known(List<StoredRevision> revisions) {
        List<String> v = revisions.stream()
                .sorted(Comparator.comparingLong(StoredRevision::number))
                .map(StoredRevision::version)
                .distinct()
                .toList();
        return v.isEmpty() ? "none" : String.join(", ", v);
    }
}
