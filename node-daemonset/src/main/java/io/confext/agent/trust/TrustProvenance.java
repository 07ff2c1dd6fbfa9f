package io.confext.agent.trust;

import io.confext.api.revision.ResolvedVerification;
import io.confext.api.v1alpha1.TrustSource;
import java.util.Optional;

/**
 * Where the certificates an image is checked against may come from: the node's own {@code verity.d} anchors, or a
 * trust Secret in the operator's release namespace, copied into the revision by the operator. The release namespace
 * is where the revision itself lives: the only namespace the agent may read revisions from (its RBAC). This is the
 * admission policy's {@code trust-namespace} rule again on the node, for revisions frozen before the rule held or
 * by an operator given wider permissions than the chart's.
 */
public final class TrustProvenance {
    public static final String NAMESPACE_NOT_ALLOWED = io.confext.api.status.Reason.TrustNamespaceNotAllowed.name();
    public static final String UNKNOWN = io.confext.api.status.Reason.TrustProvenanceUnknown.name();

    private TrustProvenance() {}

    /** @param revisionNamespace the namespace of the ControllerRevision the content was read from */
    public static Optional<NodeVerdict.Refused> check(String revisionNamespace, ResolvedVerification v) {
        if (v == null || v.trust() != TrustSource.Secret) {
            return Optional.empty(); // the node's own anchors (or no image at all)
        }
        if (v.trustNamespace() == null) {
            return Optional.of(new NodeVerdict.Refused(
                    UNKNOWN,
                    "the revision's trusted certificates come from a"
                            + " Secret whose namespace it does not record (frozen by an older operator); the agent accepts trust"
                            + " Secrets only from the release namespace " + revisionNamespace
                            + ": change the bundle's spec (for"
                            + " example spec.version) so the operator freezes a new revision, or use trust: Node"));
        }
        if (!v.trustNamespace().equals(revisionNamespace)) {
            return Optional.of(new NodeVerdict.Refused(
                    NAMESPACE_NOT_ALLOWED,
                    "the revision's trusted certificates"
                            + " come from a Secret in namespace " + v.trustNamespace()
                            + "; trust Secrets are accepted only from"
                            + " the release namespace " + revisionNamespace
                            + " (or use trust: Node, the node's own verity.d)"));
        }
        return Optional.empty();
    }
}
