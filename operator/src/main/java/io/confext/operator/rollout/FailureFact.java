package io.confext.operator.rollout;

import java.time.Instant;

/** A node that failed the target revision, with the agent's reason. */
public record FailureFact(String node, String reason, String message, Instant since) {}
