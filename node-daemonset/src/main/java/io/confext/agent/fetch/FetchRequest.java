package io.confext.agent.fetch;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One image to download.
 *
 * @param sha256 the lowercase hex digest the bundle pins; the download fails if the bytes differ. Null only for a
 *               file whose content is bound otherwise (a naked image's verity sidecars: the hash tree is checked
 *               against the root hash, which is signed or checked against the pinned image), see {@link #unpinned}
 * @param maxBytes refuse anything larger (declared or actually sent)
 * @param allowPlainHttp plain {@code http://} only when the bundle explicitly opted in
 * @param headers request headers sent with every attempt (a registry's {@code Authorization}); empty for plain URLs
 * @param room asked before the bytes are written whether the disk has room for them (see {@link RoomCheck})
 */
public record FetchRequest(
        URI url, String sha256, long maxBytes, boolean allowPlainHttp, Map<String, String> headers, RoomCheck room) {
    public FetchRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(room, "room");
        sha256 = sha256 == null ? null : sha256.trim().toLowerCase(java.util.Locale.ROOT);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A download with no headers that no disk check guards. */
    public FetchRequest(URI url, String sha256, long maxBytes, boolean allowPlainHttp) {
        this(url, sha256, maxBytes, allowPlainHttp, Map.of(), RoomCheck.ANY);
    }

    /** A download with no headers, guarded by {@code room}. */
    public FetchRequest(URI url, String sha256, long maxBytes, boolean allowPlainHttp, RoomCheck room) {
        this(url, sha256, maxBytes, allowPlainHttp, Map.of(), room);
    }

    /** A download with {@code headers} that no disk check guards. */
    public FetchRequest(URI url, String sha256, long maxBytes, boolean allowPlainHttp, Map<String, String> headers) {
        this(url, sha256, maxBytes, allowPlainHttp, headers, RoomCheck.ANY);
    }

    public FetchRequest withRoom(RoomCheck check) {
        return new FetchRequest(url, sha256, maxBytes, allowPlainHttp, headers, check);
    }

    /** A download whose bytes the caller authenticates by other means (no sha256 check). */
    public static FetchRequest unpinned(URI url, long maxBytes, boolean allowPlainHttp) {
        return new FetchRequest(url, null, maxBytes, allowPlainHttp);
    }
}
