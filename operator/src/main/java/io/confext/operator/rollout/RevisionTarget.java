package io.confext.operator.rollout;

import java.util.Objects;

/** One frozen bundle version as the planner sees it: the ControllerRevision name, its content digest and version. */
public record RevisionTarget(String name, String digest, String version) {
    public RevisionTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(version, "version");
    }

    public boolean sameAs(String otherName, String otherDigest) {
        return name.equals(otherName) && digest.equals(otherDigest);
    }
}
