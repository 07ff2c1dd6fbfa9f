package io.confext.operator.rollout;

import java.time.Instant;
import java.util.Objects;

/** What a node's agent reports for the bundle: phase, for which revision/digest, since when, and why. */
public record Observation(NodePhase phase, String revision, String digest, Instant since, String reason, String message) {
    public Observation {
        Objects.requireNonNull(phase, "phase");
    }

    public boolean isFor(RevisionTarget r) {
        return r.sameAs(revision, digest);
    }

    public boolean failed() {
        return phase == NodePhase.FAILED || phase == NodePhase.ROLLED_BACK;
    }
}
