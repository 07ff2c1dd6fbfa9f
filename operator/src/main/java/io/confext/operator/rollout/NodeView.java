package io.confext.operator.rollout;

import java.util.Objects;

/**
 * One node as the planner sees it for one bundle.
 *
 * @param matches     the node matches the bundle's nodeSelector
 * @param agentReady  the node's agent reports Ready=True (only then it is "targeted" and gets new work)
 * @param desired     the entry the operator last wrote into the node's spec (null: none)
 * @param eligibility whether the host can run the bundle (from its agent's host facts)
 * @param observed    the agent's status entry for the bundle (null: none), timed by the operator ({@link ReportClock})
 * @param canaryCandidate the node matches the bundle's {@code rollout.canary.nodeSelector} (false without one)
 * @param hostKind    the host's architecture and os-release as its agent reports them (null: not reported), for what
 *                    other agents learn of an image ({@link IncompatibleImages})
 */
public record NodeView(
        String name,
        boolean matches,
        boolean agentReady,
        Assignment desired,
        Eligibility eligibility,
        Observation observed,
        boolean canaryCandidate,
        HostKind hostKind) {
    public NodeView {
        Objects.requireNonNull(name, "name");
        eligibility = eligibility == null ? Eligibility.ELIGIBLE : eligibility;
    }

    /** Without host kind. */
    public NodeView(
            String name,
            boolean matches,
            boolean agentReady,
            Assignment desired,
            Eligibility eligibility,
            Observation observed,
            boolean canaryCandidate) {
        this(name, matches, agentReady, desired, eligibility, observed, canaryCandidate, null);
    }

    /** Without a canary node selector. */
    public NodeView(
            String name,
            boolean matches,
            boolean agentReady,
            Assignment desired,
            Eligibility eligibility,
            Observation observed) {
        this(name, matches, agentReady, desired, eligibility, observed, false);
    }

    /** The same node with another observation (the operator's timing of it). */
    public NodeView withObserved(Observation o) {
        return new NodeView(name, matches, agentReady, desired, eligibility, o, canaryCandidate, hostKind);
    }

    /** The same node with another desired entry (one the operator wrote that its cache does not show yet). */
    public NodeView withDesired(Assignment d) {
        return new NodeView(name, matches, agentReady, d, eligibility, observed, canaryCandidate, hostKind);
    }

    /** The same node with another eligibility (what agents learned of the target's image). */
    public NodeView withEligibility(Eligibility e) {
        return new NodeView(name, matches, agentReady, desired, e, observed, canaryCandidate, hostKind);
    }

    /** A node whose host can run the bundle. */
    public NodeView(String name, boolean matches, boolean agentReady, Assignment desired, Observation observed) {
        this(name, matches, agentReady, desired, Eligibility.ELIGIBLE, observed);
    }

    /** Matches the selector and can run the bundle (readiness aside). */
    public boolean eligibleMatch() {
        return matches && eligibility.eligible();
    }

    public boolean targeted() {
        return eligibleMatch() && agentReady;
    }

    /** Matches the selector with a ready agent, but its host cannot run the bundle. */
    public boolean notEligible() {
        return matches && agentReady && !eligibility.eligible();
    }
}
