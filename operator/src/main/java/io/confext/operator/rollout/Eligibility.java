package io.confext.operator.rollout;

/**
 * Whether a node can run the bundle, from the host facts its agent reports ({@code NodeEligibility}
 * decides it). A node that cannot is never assigned, is not counted as targeted, and cannot halt
 * the wave; its reason is shown in the bundle status.
 */
public record Eligibility(boolean eligible, String reason, String message) {
    public static final Eligibility ELIGIBLE = new Eligibility(true, null, null);

    public static Eligibility notEligible(String reason, String message) {
        return new Eligibility(false, reason, message);
    }
}
