package io.confext.operator.rollout;

import io.confext.api.status.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mixed fleets, for images: which nodes cannot run the target's image, from what agents learned when they verified
 * it. Pure.
 *
 * <p>An image is built for an architecture and an os-release (its partition types and its extension-release's
 * {@code ARCHITECTURE=}, {@code ID=}, {@code VERSION_ID=}, {@code CONFEXT_LEVEL=}); the operator cannot read it before
 * an agent has fetched and verified it. When an agent refuses the target for one of those reasons, its host is of a
 * kind the image was not built for: that node is not eligible rather than failed, so it neither halts the wave nor
 * starts a rollback, and every other node of the same {@link HostKind} is not eligible either, without being tried.
 * Every other refusal (a bad digest, an untrusted signature, forbidden content) stays a failure: it says the image is
 * wrong, not that the host is different.
 */
public final class IncompatibleImages {
    /** Refusals that depend only on the host's kind, never on the image being damaged or untrusted. */
    static final Set<String> HOST_KIND_REASONS = Set.of(
            Reason.ForeignArchitecture.name(),
            Reason.ExtensionArchitectureMismatch.name(),
            Reason.ExtensionIdMismatch.name(),
            Reason.ExtensionVersionMismatch.name(),
            Reason.ExtensionLevelMismatch.name());

    private IncompatibleImages() {}

    /** The nodes with the eligibility that what agents learned of {@code target}'s image gives them. */
    public static List<NodeView> apply(List<NodeView> nodes, RevisionTarget target) {
        if (target == null) {
            return nodes;
        }
        Map<HostKind, NodeView> learnedFrom = new LinkedHashMap<>();
        for (NodeView n : nodes) {
            if (refusedForItsKind(n, target) && n.hostKind() != null) {
                learnedFrom.putIfAbsent(n.hostKind(), n);
            }
        }
        List<NodeView> out = new ArrayList<>(nodes.size());
        for (NodeView n : nodes) {
            out.add(n.eligibility().eligible() ? judged(n, target, learnedFrom) : n);
        }
        return out;
    }

    private static NodeView judged(NodeView n, RevisionTarget target, Map<HostKind, NodeView> learnedFrom) {
        if (refusedForItsKind(n, target)) {
            Observation o = n.observed();
            return n.withEligibility(Eligibility.notEligible(
                    Reason.valueOf(o.reason()),
                    "the agent refused image " + target.version() + " for this host: " + o.message()));
        }
        NodeView teacher = n.hostKind() == null ? null : learnedFrom.get(n.hostKind());
        if (teacher != null) {
            Observation o = teacher.observed();
            return n.withEligibility(Eligibility.notEligible(
                    Reason.valueOf(o.reason()),
                    "node " + teacher.name()
                            + ", a host of the same kind (" + n.hostKind() + "), refused image " + target.version()
                            + ": "
                            + o.message()));
        }
        return n;
    }

    private static boolean refusedForItsKind(NodeView n, RevisionTarget target) {
        Observation o = n.observed();
        return o != null
                && o.failed()
                && o.isFor(target)
                && o.reason() != null
                && HOST_KIND_REASONS.contains(o.reason());
    }
}
