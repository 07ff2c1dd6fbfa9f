package io.confext.api.revision;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * An image the agent downloads.
 *
 * @param url https:// (or http:// when allowed) URL
 * @param sha256 64 lowercase hex digits of the whole file
 * @param allowInsecureHttp whether a plain http:// url is allowed
 * @param sizeLimitBytes largest download accepted, or null for the agent's own limit
 * @param oci for an image pulled from a registry: the manifest it is pulled by (then {@code url} is
 *            {@code oci://registry/repository@sha256:...} and {@code sha256} the image layer's digest); null for an
 *            HTTPS image, so that the revisions of those keep their digest
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedImage(
        String url, String sha256, boolean allowInsecureHttp, Long sizeLimitBytes, ResolvedOci oci) {

    public ResolvedImage {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** An image downloaded over HTTPS from its URL. */
    public ResolvedImage(String url, String sha256, boolean allowInsecureHttp, Long sizeLimitBytes) {
        this(url, sha256, allowInsecureHttp, sizeLimitBytes, null);
    }

    /** An image pulled from a registry: {@code sha256} is its image layer's digest, fixed by the manifest. */
    public static ResolvedImage ofOci(ResolvedOci oci, String imageLayerSha256, Long sizeLimitBytes) {
        return new ResolvedImage("oci://" + oci.pinnedReference(), imageLayerSha256, false, sizeLimitBytes, oci);
    }
}
