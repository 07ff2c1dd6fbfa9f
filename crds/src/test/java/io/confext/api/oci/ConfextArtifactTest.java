package io.confext.api.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.status.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfextArtifactTest {
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    private static byte[] manifest(String artifactType, String configType, String... layers) {
        String l = String.join(",", layers);
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\""
                        + (artifactType == null ? "" : ",\"artifactType\":\"" + artifactType + "\"")
                        + ",\"config\":{\"mediaType\":\"" + configType + "\",\"digest\":\"" + C + "\",\"size\":2}"
                        + ",\"layers\":[" + l + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String layer(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size
                + ",\"annotations\":{\"org.opencontainers.image.title\":\"x\"}}";
    }

    @Test
    void aNakedImageWithSidecars() {
        ConfextArtifact a = ConfextArtifact.of(
                manifest(
                        ArtifactLayout.ARTIFACT_TYPE,
                        "application/vnd.oci.empty.v1+json",
                        layer(ArtifactLayout.IMAGE, A, 4096),
                        layer(ArtifactLayout.VERITY, B, 512),
                        layer(ArtifactLayout.ROOT_HASH_SIGNATURE, C, 900)),
                "m");
        assertThat(a.image()).isEqualTo(new Descriptor(ArtifactLayout.IMAGE, A, 4096));
        assertThat(a.image().sha256Hex()).isEqualTo("a".repeat(64));
        assertThat(a.sidecars()).containsOnlyKeys(".verity", ".roothash.p7s");
    }

    @Test
    void anOci10StyleArtifactTypedByItsConfig() {
        ConfextArtifact a = ConfextArtifact.of(
                manifest(null, ArtifactLayout.ARTIFACT_TYPE, layer(ArtifactLayout.IMAGE, A, 1)), "m");
        assertThat(a.sidecars()).isEmpty();
    }

    @Test
    void refusals() {
        refused(
                manifest("application/vnd.cncf.helm.config.v1+json", "x", layer(ArtifactLayout.IMAGE, A, 1)),
                Reason.WrongArtifactType,
                "application/vnd.cncf.helm.config.v1+json");
        refused(
                manifest(
                        null,
                        "application/vnd.oci.image.config.v1+json",
                        layer("application/vnd.oci.image.layer.v1.tar+gzip", A, 1)),
                Reason.WrongArtifactType,
                "not application/vnd.confext.image.v1");
        refused(
                "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
                        .getBytes(StandardCharsets.UTF_8),
                Reason.WrongArtifactType,
                "index");
        refused(manifest(ArtifactLayout.ARTIFACT_TYPE, "x"), Reason.ManifestInvalid, "no image layer");
        refused(
                manifest(
                        ArtifactLayout.ARTIFACT_TYPE,
                        "x",
                        layer(ArtifactLayout.IMAGE, A, 1),
                        layer(ArtifactLayout.IMAGE, B, 1)),
                Reason.ManifestInvalid,
                "more than one image layer");
        refused(
                manifest(
                        ArtifactLayout.ARTIFACT_TYPE,
                        "x",
                        layer(ArtifactLayout.IMAGE, A, 1),
                        layer(ArtifactLayout.VERITY, B, 1),
                        layer(ArtifactLayout.VERITY, C, 1)),
                Reason.ManifestInvalid,
                "more than one layer of media type");
        refused(
                manifest(
                        ArtifactLayout.ARTIFACT_TYPE,
                        "x",
                        layer(ArtifactLayout.IMAGE, A, 1),
                        layer("text/plain", B, 1)),
                Reason.ManifestInvalid,
                "text/plain");
        refused(
                manifest(
                        ArtifactLayout.ARTIFACT_TYPE, "x", layer(ArtifactLayout.IMAGE, "sha512:" + "a".repeat(128), 1)),
                Reason.ManifestInvalid,
                "only sha256");
        refused("not json".getBytes(StandardCharsets.UTF_8), Reason.ManifestInvalid, "not JSON");
    }

    private static void refused(byte[] manifest, Reason reason, String inMessage) {
        assertThatThrownBy(() -> ConfextArtifact.of(manifest, "r/x@sha256:..."))
                .isInstanceOfSatisfying(OciFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(inMessage).doesNotContain("Exception");
                });
    }
}
