package io.confext.operator.rollout;

import java.util.Objects;

/**
 * One node as the planner sees it for one bundle.
 *
 * @param matches   the node matches the bundle's nodeSelector
 * @param agentReady the node's agent reports Ready=True (only then it is "targeted" and gets new work)
 * @param desired   the entry the operator last wrote into the node's spec (null: none)
 * @param observed  the agent's status entry for the bundle (null: none)
 */
public record NodeView(String name, boolean matches, boolean agentReady, Assignment desired, Observation observed) {
    public NodeView {
        Objects.requireNonNull(name, "name");
    }

    public boolean targeted() {
        return matches && agentReady;
    }
}
