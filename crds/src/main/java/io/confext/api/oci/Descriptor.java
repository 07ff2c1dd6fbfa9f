package io.confext.api.oci;

/** One blob of a manifest: its media type, {@code sha256:<hex>} digest and size. */
public record Descriptor(String mediaType, String digest, long size) {

    /** The 64 hex digits of the digest. */
    public String sha256Hex() {
        return digest.substring("sha256:".length());
    }
}
