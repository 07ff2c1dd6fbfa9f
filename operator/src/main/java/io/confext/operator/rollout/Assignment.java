package io.confext.operator.rollout;

import java.util.Objects;

/** One node's desired entry for a bundle: the revision it should run, and whether a downgrade is allowed. */
public record Assignment(RevisionTarget revision, boolean rollback) {
    public Assignment {
        Objects.requireNonNull(revision, "revision");
    }

    public static Assignment forward(RevisionTarget r) {
        return new Assignment(r, false);
    }

    public boolean is(RevisionTarget r) {
        return revision.equals(r);
    }
}
