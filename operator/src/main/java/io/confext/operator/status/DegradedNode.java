package io.confext.operator.status;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.operator.rollout.RevisionTarget;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A node whose agent reports the target revision Degraded: proven once, then a unit lost its health. */
public record DegradedNode(String node, String reason, String message) {

    /** The nodes reporting {@code target} Degraded, by node name (a stable order for the condition's message). */
    public static List<DegradedNode> on(RevisionTarget target, Map<String, BundleState> observedByNode) {
        return observedByNode.entrySet().stream()
                .filter(e -> e.getValue().getPhase() == BundlePhase.Degraded
                        && target.sameAs(
                                e.getValue().getRevision(), e.getValue().getDigest()))
                .map(e -> new DegradedNode(
                        e.getKey(), e.getValue().getReason(), e.getValue().getMessage()))
                .sorted(Comparator.comparing(DegradedNode::node))
                .toList();
    }
}
