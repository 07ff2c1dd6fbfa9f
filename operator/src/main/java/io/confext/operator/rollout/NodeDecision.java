package io.confext.operator.rollout;

import java.util.Objects;

/** The planner's answer for one node: its desired entry (null: no entry) and whether that differs from now. */
public record NodeDecision(String name, Assignment desired, boolean changed) {
    public NodeDecision {
        Objects.requireNonNull(name, "name");
    }
}
