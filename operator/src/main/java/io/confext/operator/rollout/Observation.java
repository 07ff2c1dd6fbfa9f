package io.confext.operator.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * What a node's agent reports for the bundle: phase, for which revision/digest, since when, and why.
 * For planning, {@code since} is the operator's time of first seeing this report ({@link ReportClock}).
 */
public record Observation(NodePhase phase, String revision, String digest, Instant since, String reason, String message) {
    public Observation {
        Objects.requireNonNull(phase, "phase");
    }

    /** The same report, timed at {@code t}. */
    public Observation at(java.time.Instant t) {
        return new Observation(phase, revision, digest, t, reason, message);
    }

    public boolean isFor(RevisionTarget r) {
        return r.sameAs(revision, digest);
    }

    public boolean failed() {
        return phase == NodePhase.FAILED || phase == NodePhase.ROLLED_BACK;
    }
}
