package io.confext.operator.revision;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the per-revision copy of a source Secret holds: the keys the revision's files name, with their values as the
 * API gave them (base64). Kept in memory from freezing to {@link RevisionStore#ensure} only; never logged, never in
 * a status, event or revision.
 *
 * @param name the copy Secret's name (also recorded in the revision)
 * @param data key to base64 value
 */
public record SecretCopy(String name, Map<String, String> data) {
    public SecretCopy {
        Objects.requireNonNull(name, "name");
        data = Map.copyOf(new TreeMap<>(data));
    }

    /** Only the name: a record's default toString would print the values. */
    @Override
    public String toString() {
        return "SecretCopy[" + name + ", keys " + new TreeMap<>(data).keySet() + "]";
    }
}
