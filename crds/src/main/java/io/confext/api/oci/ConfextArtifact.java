package io.confext.api.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.confext.api.status.Reason;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A manifest read as a confext artifact: its image layer and the sidecars of a naked image. {@link #of} holds every
 * rule of the layout ({@link ArtifactLayout}); it reads bytes already checked against their digest and does no I/O.
 *
 * @param image the image layer
 * @param sidecars sidecar suffix ({@code .verity}, {@code .roothash}, {@code .roothash.p7s}) -> its layer
 */
public record ConfextArtifact(Descriptor image, Map<String, Descriptor> sidecars) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ConfextArtifact {
        sidecars = Map.copyOf(sidecars);
    }

    /** @throws OciFailure WrongArtifactType or ManifestInvalid, naming what is wrong and where ({@code where}) */
    public static ConfextArtifact of(byte[] manifest, String where) {
        JsonNode m;
        try {
            m = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new OciFailure(
                    Reason.ManifestInvalid, "the manifest of " + where + " is not JSON: " + e.getMessage());
        }
        if (m == null || !m.isObject()) {
            throw new OciFailure(Reason.ManifestInvalid, "the manifest of " + where + " is not a JSON object");
        }
        String mediaType = m.path("mediaType").asText("");
        if (!mediaType.isEmpty() && !mediaType.equals(ArtifactLayout.OCI_MANIFEST)) {
            throw new OciFailure(
                    Reason.WrongArtifactType,
                    where + " is a " + mediaType + ", not an OCI image manifest of a "
                            + "confext artifact (" + ArtifactLayout.ARTIFACT_TYPE
                            + "); push it with oras push --artifact-type "
                            + ArtifactLayout.ARTIFACT_TYPE);
        }
        // OCI 1.1 puts the type in artifactType; OCI 1.0 style artifacts (oras --image-spec v1.0) in the config's media
        // type
        String type = m.path("artifactType").asText("");
        if (type.isEmpty()) {
            type = m.path("config").path("mediaType").asText("");
        }
        if (!type.equals(ArtifactLayout.ARTIFACT_TYPE)) {
            throw new OciFailure(
                    Reason.WrongArtifactType,
                    where + " has artifact type '" + type + "', not " + ArtifactLayout.ARTIFACT_TYPE
                            + ": it is not a confext image (docs/api.md, OCI artifacts)");
        }
        Descriptor image = null;
        Map<String, Descriptor> sidecars = new LinkedHashMap<>();
        JsonNode layers = m.path("layers");
        for (int i = 0; i < layers.size(); i++) {
            Descriptor d = descriptor(layers.get(i), where, i);
            if (d.mediaType().equals(ArtifactLayout.IMAGE)) {
                if (image != null) {
                    throw new OciFailure(
                            Reason.ManifestInvalid,
                            where + " has more than one image layer (" + ArtifactLayout.IMAGE
                                    + "); a confext artifact carries exactly one");
                }
                image = d;
            } else if (ArtifactLayout.SIDECAR_SUFFIXES.containsKey(d.mediaType())) {
                if (sidecars.put(ArtifactLayout.SIDECAR_SUFFIXES.get(d.mediaType()), d) != null) {
                    throw new OciFailure(
                            Reason.ManifestInvalid, where + " has more than one layer of media type " + d.mediaType());
                }
            } else {
                throw new OciFailure(
                        Reason.ManifestInvalid,
                        "layer " + i + " of " + where + " has media type '" + d.mediaType()
                                + "', which is no part of a confext artifact (" + ArtifactLayout.IMAGE
                                + " and its sidecars)");
            }
        }
        if (image == null) {
            throw new OciFailure(
                    Reason.ManifestInvalid, where + " has no image layer of media type " + ArtifactLayout.IMAGE);
        }
        return new ConfextArtifact(image, sidecars);
    }

    private static Descriptor descriptor(JsonNode n, String where, int i) {
        String digest = n.path("digest").asText("");
        if (!OciReference.isDigest(digest)) {
            throw new OciFailure(
                    Reason.ManifestInvalid,
                    "layer " + i + " of " + where + " has digest '" + digest
                            + "'; only sha256:<64 lowercase hex> digests are accepted");
        }
        long size = n.path("size").asLong(-1);
        if (size < 0) {
            throw new OciFailure(Reason.ManifestInvalid, "layer " + i + " of " + where + " has no size");
        }
        return new Descriptor(n.path("mediaType").asText(""), digest, size);
    }
}
