package io.confext.operator.revision;

import io.confext.api.revision.RevisionContent;
import java.util.Objects;
import java.util.Optional;

/**
 * A bundle spec frozen: the revision's content and, for a Secret source read now, the copy Secret to create beside
 * it (empty when the source is not a Secret, or the version's earlier copy is reused).
 */
public record FrozenRevision(RevisionContent content, Optional<SecretCopy> copy) {
    public FrozenRevision {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(copy, "copy");
    }
}
