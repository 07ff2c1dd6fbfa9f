package io.confext.operator.rollout;

/**
 * The agent-reported phase of one bundle on one node (mirrors the API's BundlePhase). DEGRADED (a proven unit failed,
 * stopped, restarted or lost the version after its health window) is neither ready nor failed: the node is not counted
 * ready, and the bundle's Degraded condition names it.
 */
public enum NodePhase {
    PENDING,
    FETCHING,
    VERIFIED,
    ACTIVE,
    DEGRADED,
    FAILED,
    ROLLED_BACK,
    REMOVED
}
