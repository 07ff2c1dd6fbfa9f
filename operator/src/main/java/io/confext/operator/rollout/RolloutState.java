package io.confext.operator.rollout;

/** Where a bundle's rollout stands after one planning step. */
public enum RolloutState {
    /** Every targeted node is proven on the target for minReadySeconds. */
    COMPLETE,
    /** Canary nodes are being updated or have not yet been healthy for minReadySeconds. */
    CANARY,
    /** Waves are being assigned. */
    PROGRESSING,
    /** The budget is used up by nodes that are proven but not yet healthy for minReadySeconds. */
    WAITING,
    /**
     * Every other targeted node is available; the rest wait for someone else to restart their units
     * ({@code spec.firstAttach: WaitForUnitRestart}). No deadline: the wait is the bundle's own choice.
     */
    WAITING_FOR_UNIT_RESTARTS,
    PAUSED,
    /** A node failed and onFailure is Halt: no new assignments. */
    HALTED,
    /** A node failed and onFailure is Rollback: every node is sent back to the stable revision. */
    ROLLING_BACK,
    /** Nodes match, but no targeted node's host can run the bundle: nothing to do until one can. */
    NO_ELIGIBLE_NODES,
    /**
     * Nodes match, but none has a ready agent yet (an operator, its agents and bundles applied at once): nothing is
     * rolled out, so the rollout is not complete, and it starts when the first agent reports Ready.
     */
    WAITING_FOR_AGENTS,
    /** Every matching node reports the stable revision (or removal, when there was none) again. */
    ROLLED_BACK
}
