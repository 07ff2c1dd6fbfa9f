package io.confext.operator.rollout;

/** The agent-reported phase of one bundle on one node (mirrors the API's BundlePhase). */
public enum NodePhase { PENDING, FETCHING, VERIFIED, ACTIVE, FAILED, ROLLED_BACK, REMOVED }
