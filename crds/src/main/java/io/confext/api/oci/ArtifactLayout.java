package io.confext.api.oci;

import java.util.Map;

/**
 * The layout of a confext OCI artifact (docs/api.md, "OCI artifacts"): an OCI image manifest with this
 * {@code artifactType}, one layer per file, told apart by media type. The file names ({@code
 * org.opencontainers.image.title}) are only for people and {@code oras pull}; the agent names the files itself.
 */
public final class ArtifactLayout {
    /** The manifest's {@code artifactType} (or, as in OCI 1.0 style artifacts, its config's media type). */
    public static final String ARTIFACT_TYPE = "application/vnd.confext.image.v1";
    /** The image: a DDI, or a naked erofs/squashfs file. Exactly one. */
    public static final String IMAGE = "application/vnd.confext.image.raw.v1";
    /** The sidecars of a naked image, each at most once; a DDI has none. */
    public static final String VERITY = "application/vnd.confext.image.verity.v1";

    public static final String ROOT_HASH = "application/vnd.confext.image.roothash.v1";
    public static final String ROOT_HASH_SIGNATURE = "application/vnd.confext.image.roothash.p7s.v1";
    /** The manifest media type the agent asks for and accepts. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    public static final String TITLE = "org.opencontainers.image.title";

    /** Sidecar media type -> the suffix systemd looks for next to a naked image ({@code name.verity}, ...). */
    public static final Map<String, String> SIDECAR_SUFFIXES =
            Map.of(VERITY, ".verity", ROOT_HASH, ".roothash", ROOT_HASH_SIGNATURE, ".roothash.p7s");

    private ArtifactLayout() {}
}
