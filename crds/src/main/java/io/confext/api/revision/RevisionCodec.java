package io.confext.api.revision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Map;

/**
 * Converts a {@link RevisionContent} to and from the untyped {@code data} field of a
 * ControllerRevision (fabric8 models it as {@code Object}: a map after deserialization).
 */
public final class RevisionCodec {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private RevisionCodec() {}

    /** The content as a JSON object (keys in canonical order), ready for {@code ControllerRevision.setData}. */
    public static Map<String, Object> toData(RevisionContent content) {
        try {
            return CanonicalJson.mapper().readValue(CanonicalJson.write(content), MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("canonical JSON must parse back: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code ControllerRevision.data} back.
     *
     * @throws IllegalArgumentException when data is missing or is not a confext revision
     */
    public static RevisionContent fromData(Object data) {
        if (data == null) {
            throw new IllegalArgumentException("the ControllerRevision has no data");
        }
        try {
            return CanonicalJson.mapper().convertValue(data, RevisionContent.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the ControllerRevision data is not a confext revision: " + e.getMessage(), e);
        }
    }
}
