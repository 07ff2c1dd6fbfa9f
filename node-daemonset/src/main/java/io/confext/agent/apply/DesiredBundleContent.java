package io.confext.agent.apply;

import io.confext.api.revision.RevisionContent;

/** One bundle the node should have: the revision's frozen content plus whether the operator is rolling back. */
public record DesiredBundleContent(String name, String revision, String digest, boolean rollback, RevisionContent content) {
}
