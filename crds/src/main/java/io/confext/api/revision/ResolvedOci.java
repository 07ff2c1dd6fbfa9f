package io.confext.api.revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Where the agent pulls an OCI-artifact image from: one manifest, by digest. The operator resolved the bundle's
 * reference (a tag is frozen here as the digest it pointed at) and read the manifest to pin the image layer's digest
 * as {@link ResolvedImage#sha256()}.
 *
 * @param registry host[:port] of the registry, always HTTPS
 * @param repository the repository path in that registry
 * @param manifestDigest {@code sha256:<hex>} of the manifest the agent pulls
 * @param reference the reference as the bundle wrote it (tag and all), for messages only
 * @param pullSecretName a dockerconfigjson Secret in the revision's namespace, or null for anonymous pulls
 * @param caBundle PEM certificates the registry's TLS chains to, or null for the JDK's default trust
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedOci(
        String registry,
        String repository,
        String manifestDigest,
        String reference,
        String pullSecretName,
        String caBundle) {

    public ResolvedOci {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(manifestDigest, "manifestDigest");
    }

    /** {@code registry/repository@sha256:...}: what the agent pulls, as a person would write it. */
    public String pinnedReference() {
        return registry + "/" + repository + "@" + manifestDigest;
    }
}
