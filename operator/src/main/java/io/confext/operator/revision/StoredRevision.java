package io.confext.operator.revision;

import io.confext.operator.rollout.RevisionTarget;
import java.time.Instant;

/** A revision as found in the API: what the planner needs, plus when it was created. */
public record StoredRevision(RevisionTarget target, long revision, Instant createdAt) {}
