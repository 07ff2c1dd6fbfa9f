package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.trust.SignatureRequirement;
import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.ExtensionReleaseMatcher;
import io.confext.agent.verify.Policy;
import io.confext.agent.verify.TrustedCertificates;
import io.confext.api.revision.ResolvedVerification;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.TrustSource;
import java.io.IOException;

/**
 * What an image of a revision is verified against on this host: the host's architecture and os-release, and the
 * trust the revision names (the certificates frozen into it from the bundle's trust Secret, or the node's own
 * {@code verity.d} directories).
 */
final class ImagePolicies {
    private ImagePolicies() {}

    record Inputs(
            Architecture architecture,
            TrustedCertificates trusted,
            io.confext.agent.verify.HostRelease host,
            boolean requireSignature) {}

    /**
     * @param signature whether a signature is required here: by the bundle, the platform or the node policy
     * @throws IllegalStateException when the trust cannot be read: a reason the bundle fails with
     */
    static Inputs inputs(
            HostFiles host, HostFacts facts, ResolvedVerification verification, SignatureRequirement signature) {
        Architecture arch = Architecture.parse(facts.getArchitecture())
                .orElseThrow(() -> new IllegalStateException("the host architecture '" + facts.getArchitecture()
                        + "' has no partition types this agent knows"));
        ResolvedVerification v =
                verification == null ? new ResolvedVerification(false, TrustSource.Node, null) : verification;
        TrustedCertificates trusted;
        try {
            trusted = v.trust() == TrustSource.Secret
                    ? TrustedCertificates.fromPem(v.trustedCertificatesPem())
                    : TrustedCertificates.systemVerityD(host.root());
        } catch (IOException e) {
            throw new IllegalStateException(
                    (v.trust() == TrustSource.Secret
                                    ? "the certificates of the bundle's trust Secret"
                                    : "the node's verity.d certificates")
                            + " cannot be read: " + e.getMessage(),
                    e);
        }
        if (signature.required() && trusted.isEmpty()) {
            String none = "there is no trusted certificate: "
                    + (v.trust() == TrustSource.Secret
                            ? "the trust Secret holds no *.crt entry"
                            : "put the signer's PEM certificate into /etc/verity.d/*.crt on the node");
            signature.refusal(none).ifPresent(r -> {
                throw new MissingTrust(r.reason(), r.message());
            });
            throw new IllegalStateException("the bundle requires a signed image but " + none);
        }
        io.confext.agent.verify.HostRelease os;
        try {
            os = io.confext.agent.verify.HostRelease.read(host.root(), arch.systemdName(), facts.getSystemdVersion());
        } catch (IOException e) {
            throw new IllegalStateException("the host's os-release cannot be read: " + e.getMessage(), e);
        }
        return new Inputs(arch, trusted, os, signature.required());
    }

    /** No trust to check a signature the platform or the node requires: refused in their words, not as TrustUnavailable. */
    static final class MissingTrust extends IllegalStateException {
        final String reason;

        MissingTrust(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    /** Every check of the verifier; the downgrade check already ran in the pipeline, the sha256 is pinned by the bundle. */
    static Policy policy(Inputs in, RevisionContent c, String bundle) {
        // systemd-confext merges need CONFEXT_SCOPE to include "system"; a unit's ExtensionImages= checks no scope
        ExtensionReleaseMatcher.Scope scope =
                c.scope() == Scope.Host ? ExtensionReleaseMatcher.Scope.SYSTEM : ExtensionReleaseMatcher.Scope.ANY;
        return Policy.signedBy(in.trusted())
                .withRequireSignature(in.requireSignature())
                .withArchitecture(in.architecture())
                .withHost(in.host(), scope)
                .withExtensionName(bundle)
                .withSha256(c.source().image().sha256());
    }
}
