package io.confext.kubectl.render;

import io.confext.api.revision.RevisionContent;
import java.util.Objects;

/**
 * One ControllerRevision of a bundle as the plugin reads it: its name, its number (ControllerRevision.revision,
 * rising with each new content), the version and the frozen content.
 */
public record StoredRevision(String name, long number, String version, String created, RevisionContent content) {

    public StoredRevision {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(content, "content");
    }
}
