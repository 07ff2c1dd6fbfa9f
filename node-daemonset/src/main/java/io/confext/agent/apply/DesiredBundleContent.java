package io.confext.agent.apply;

import io.confext.api.revision.RevisionContent;

/**
 * One bundle the node should have: the revision's frozen content plus whether the operator is rolling back.
 *
 * @param minReadySeconds the bundle's health window (its rollout's minReadySeconds, copied by the operator into the
 *                        node's entry): a proven unit that fails, stops, restarts or loses the version within it fails
 *                        the version here (local fallback); after it, the bundle is reported Degraded
 */
public record DesiredBundleContent(
        String name, String revision, String digest, boolean rollback, RevisionContent content, int minReadySeconds) {
    /** Without a health window (minReadySeconds 0). */
    public DesiredBundleContent(
            String name, String revision, String digest, boolean rollback, RevisionContent content) {
        this(name, revision, digest, rollback, content, 0);
    }
}
