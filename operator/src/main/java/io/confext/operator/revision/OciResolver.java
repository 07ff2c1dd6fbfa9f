package io.confext.operator.revision;

import io.confext.api.oci.ConfextArtifact;
import io.confext.api.oci.OciFailure;
import io.confext.api.oci.OciReference;
import io.confext.api.oci.RegistryClient;
import io.confext.api.oci.RegistryCredentials;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedOci;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.OciSource;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Freezes {@code spec.source.oci}: reads the manifest the reference names (a tag is resolved here, once, to its
 * manifest digest), checks it is a confext artifact, and pins that digest and the image layer's digest into the
 * revision. The agents pull only that digest, so a tag moved later changes nothing until the spec changes.
 */
public final class OciResolver {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Function<String, Optional<byte[]>> pullSecrets;
    private final Optional<SSLContext> defaultTls;

    /**
     * @param pullSecrets the {@code .dockerconfigjson} of a pull Secret of the operator's namespace by name, empty when
     *                    there is no such Secret (throws {@link OciFailure} for one of another type)
     * @param defaultTls the trust used when the bundle gives no caBundle; empty: the JDK's
     */
    public OciResolver(Function<String, Optional<byte[]>> pullSecrets, Optional<SSLContext> defaultTls) {
        this.pullSecrets = pullSecrets;
        this.defaultTls = defaultTls;
    }

    /** @throws UnresolvableBundleException with the registry's reason and what to fix */
    public ResolvedImage resolve(OciSource s) {
        OciReference ref;
        try {
            ref = OciReference.parse(s.getReference());
        } catch (IllegalArgumentException e) {
            throw new UnresolvableBundleException(Reason.InvalidSpec, "spec.source.oci.reference: " + e.getMessage());
        }
        try {
            Optional<SSLContext> tls = s.getCaBundle() == null
                    ? defaultTls
                    : Optional.of(RegistryClient.trusting(s.getCaBundle(), "spec.source.oci.caBundle"));
            RegistryClient registry = new RegistryClient(
                    ref.registry(), credentials(s.getPullSecretName(), ref.registry()), tls, TIMEOUT);
            RegistryClient.Manifest m = registry.manifest(ref.repository(), ref.manifestKey());
            ConfextArtifact artifact = ConfextArtifact.of(m.bytes(), ref.toString());
            // the reference is kept with its digest, so an undo that writes it back into the spec freezes the same
            // content
            ResolvedOci oci = new ResolvedOci(
                    ref.registry(),
                    ref.repository(),
                    m.digest(),
                    ref.pinned(m.digest()).toString(),
                    s.getPullSecretName(),
                    s.getCaBundle());
            return ResolvedImage.ofOci(oci, artifact.image().sha256Hex(), s.getSizeLimitBytes());
        } catch (OciFailure e) {
            throw new UnresolvableBundleException(e.reason(), e.getMessage());
        }
    }

    private Optional<RegistryCredentials> credentials(String secret, String registry) {
        if (secret == null) {
            return Optional.empty();
        }
        byte[] config = pullSecrets
                .apply(secret)
                .orElseThrow(
                        () -> new OciFailure(
                                Reason.PullSecretNotFound,
                                "pull Secret " + secret
                                        + " (spec.source.oci.pullSecretName) does not exist in the operator's namespace, the only one pull Secrets are read from"));
        return Optional.of(RegistryCredentials.fromDockerConfig(config, registry, secret)
                .orElseThrow(() -> new OciFailure(
                        Reason.InvalidPullSecret,
                        "pull Secret " + secret + " has no credentials for " + registry
                                + " in its .dockerconfigjson")));
    }
}
