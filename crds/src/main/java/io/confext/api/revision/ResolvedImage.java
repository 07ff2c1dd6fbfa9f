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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResolvedImage(String url, String sha256, boolean allowInsecureHttp, Long sizeLimitBytes) {

    public ResolvedImage {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
    }
}
