package io.confext.agent.fetch;

import java.net.URI;
import java.util.Objects;

/**
 * One image to download.
 *
 * @param sha256 the lowercase hex digest the bundle pins; the download fails if the bytes differ
 * @param maxBytes refuse anything larger (declared or actually sent)
 * @param allowPlainHttp plain {@code http://} only when the bundle explicitly opted in
 */
public record FetchRequest(URI url, String sha256, long maxBytes, boolean allowPlainHttp) {
    public FetchRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sha256, "sha256");
        sha256 = sha256.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
