package io.confext.api.revision;

import io.confext.api.v1alpha1.TrustSource;
import java.util.List;

/**
 * How the agent verifies an image.
 *
 * @param requireSignature a trusted verity root hash signature must be present
 * @param trust Node: the host's own verity.d certificates; Secret: {@code trustedCertificatesPem}
 * @param trustedCertificatesPem PEM certificates copied from the Secret (trust Secret), else empty
 */
public record ResolvedVerification(boolean requireSignature, TrustSource trust, List<String> trustedCertificatesPem) {

    public ResolvedVerification {
        trust = trust == null ? TrustSource.Node : trust;
        trustedCertificatesPem = trustedCertificatesPem == null ? List.of() : List.copyOf(trustedCertificatesPem);
    }
}
