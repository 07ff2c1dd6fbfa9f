package io.confext.api.revision;

import io.confext.api.v1alpha1.TrustSource;
import java.util.List;

/**
 * How the agent verifies an image.
 *
 * @param requireSignature a trusted verity root hash signature must be present
 * @param trust Node: the host's own verity.d certificates; Secret: {@code trustedCertificatesPem}
 * @param trustedCertificatesPem PEM certificates copied from the Secret (trust Secret), else empty
 * @param trustNamespace the namespace of the trust Secret the certificates were copied from (trust Secret), else
 *     null; the agent accepts only its release namespace. Null is left out of the canonical JSON, so revisions
 *     with node trust keep their digest.
 */
public record ResolvedVerification(
        boolean requireSignature, TrustSource trust, List<String> trustedCertificatesPem, String trustNamespace) {

    public ResolvedVerification {
        trust = trust == null ? TrustSource.Node : trust;
        trustedCertificatesPem = trustedCertificatesPem == null ? List.of() : List.copyOf(trustedCertificatesPem);
    }

    /** Without a recorded trust namespace: node trust, or a Secret's certificates of unknown origin. */
    public ResolvedVerification(boolean requireSignature, TrustSource trust, List<String> trustedCertificatesPem) {
        this(requireSignature, trust, trustedCertificatesPem, null);
    }
}
