package io.confext.operator.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * What a node's agent reports for the bundle: phase, for which revision/digest, since when, and why.
 * For planning, {@code since} is the operator's time of first seeing this report ({@link ReportClock}).
 */
public record Observation(
        NodePhase phase, String revision, String digest, Instant since, String reason, String message) {
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

    /**
     * The node proved nothing yet and touches nothing: its bundle asks to wait for someone else's restart of the unit
     * ({@code spec.firstAttach: WaitForUnitRestart}), which still runs with its previous configuration.
     */
    public boolean waitsForUnitRestart() {
        return phase == NodePhase.PENDING && "WaitingForUnitRestart".equals(reason);
    }

    public boolean failed() {
        return phase == NodePhase.FAILED || phase == NodePhase.ROLLED_BACK;
    }
}
