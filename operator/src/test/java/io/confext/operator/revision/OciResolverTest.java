package io.confext.operator.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.confext.api.oci.ArtifactLayout;
import io.confext.api.oci.ConfextArtifact;
import io.confext.api.oci.RegistryClient;
import io.confext.api.oci.RegistryCredentials;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.OciSource;
import io.confext.testsupport.registry.RegistryServer;
import io.confext.testsupport.registry.RegistryServer.Layer;
import io.confext.testsupport.tier.RegistryTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's freezing of {@code spec.source.oci} against a real registry on loopback (docker-registry, TLS, basic
 * auth; pushed with oras): a tag is resolved once to its manifest digest, the image layer's digest is pinned, and a tag
 * moved afterwards changes nothing the nodes pull.
 */
@RegistryTest
class OciResolverTest {
    private static final String SECRET = "registry-pull";

    @TempDir
    static Path dir;

    static RegistryServer registry;

    @BeforeAll
    static void start() throws Exception {
        String missing = RegistryServer.missingTools();
        assumeTrue(missing.isEmpty(), "no real registry: missing " + missing);
        registry = RegistryServer.start(dir.resolve("registry"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aTagIsFrozenAsItsDigestAndAMovedTagChangesNothing() throws Exception {
        Path v1 = file("v1", "image one");
        String first = registry.push(
                "confext/moving:stable", ArtifactLayout.ARTIFACT_TYPE, new Layer(v1, ArtifactLayout.IMAGE));

        ResolvedImage frozen = resolver(registry.password()).resolve(source("confext/moving:stable", SECRET));
        assertThat(frozen.oci().manifestDigest()).isEqualTo(first);
        assertThat(frozen.sha256()).isEqualTo(sha256(v1));
        assertThat(frozen.url()).isEqualTo("oci://" + registry.address() + "/confext/moving@" + first);
        assertThat(frozen.oci().reference()).isEqualTo(registry.address() + "/confext/moving:stable@" + first);

        Path v2 = file("v2", "image two");
        String moved = registry.push(
                "confext/moving:stable", ArtifactLayout.ARTIFACT_TYPE, new Layer(v2, ArtifactLayout.IMAGE));
        assertThat(moved).isNotEqualTo(first);

        // what the nodes pull: the frozen digest, which the registry still serves with the first image layer
        RegistryClient client = new RegistryClient(
                registry.address(),
                creds(registry.password()),
                Optional.of(registry.clientTls()),
                Duration.ofSeconds(30));
        ConfextArtifact pinned = ConfextArtifact.of(
                client.manifest("confext/moving", frozen.oci().manifestDigest()).bytes(), "pinned");
        assertThat(pinned.image().sha256Hex()).isEqualTo(sha256(v1));
        // re-freezing the frozen reference (what an undo writes back) gives the same content, not the moved tag's
        ResolvedImage again = resolver(registry.password())
                .resolve(source(
                        frozen.oci().reference().substring(registry.address().length() + 1), SECRET));
        assertThat(again).isEqualTo(frozen);
        // a new freeze of the bare tag (a spec change) sees the move
        assertThat(resolver(registry.password())
                        .resolve(source("confext/moving:stable", SECRET))
                        .oci()
                        .manifestDigest())
                .isEqualTo(moved);
    }

    @Test
    void aTagTheRegistryDoesNotHaveIsManifestNotFound() {
        assertRefused(
                () -> resolver(registry.password()).resolve(source("confext/moving:no-such-tag", SECRET)),
                Reason.ManifestNotFound,
                "no-such-tag");
    }

    @Test
    void credentialsAreNeededAndChecked() {
        assertRefused(
                () -> resolver(registry.password()).resolve(source("confext/moving:stable", null)),
                Reason.RegistryUnauthorized,
                "pullSecretName");
        assertRefused(
                () -> resolver("wrong").resolve(source("confext/moving:stable", SECRET)),
                Reason.RegistryUnauthorized,
                "refused the credentials");
        assertRefused(
                () -> resolver(registry.password()).resolve(source("confext/moving:stable", "absent")),
                Reason.PullSecretNotFound,
                "absent");
    }

    @Test
    void anotherArtifactTypeIsRefused() throws Exception {
        Path f = file("other", "{}");
        registry.push(
                "confext/other:1",
                "application/vnd.example.thing.v1",
                new Layer(f, "application/vnd.example.thing.layer"));
        assertRefused(
                () -> resolver(registry.password()).resolve(source("confext/other:1", SECRET)),
                Reason.WrongArtifactType,
                "application/vnd.example.thing.v1");
    }

    private static void assertRefused(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason, String inMessage) {
        assertThatThrownBy(call).isInstanceOfSatisfying(UnresolvableBundleException.class, e -> {
            assertThat(e.catalogued()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(inMessage).doesNotContain("Exception");
        });
    }

    private static OciSource source(String repoAndTag, String secret) {
        OciSource s = new OciSource();
        s.setReference(registry.address() + "/" + repoAndTag);
        s.setPullSecretName(secret);
        s.setCaBundle(registry.caPem());
        return s;
    }

    private static OciResolver resolver(String password) {
        byte[] config = RegistryCredentials.dockerConfigJson(registry.address(), RegistryServer.USER, password)
                .getBytes(StandardCharsets.UTF_8);
        return new OciResolver(name -> name.equals(SECRET) ? Optional.of(config) : Optional.empty(), Optional.empty());
    }

    private static Optional<RegistryCredentials> creds(String password) {
        return Optional.of(new RegistryCredentials(RegistryServer.USER, password, SECRET));
    }

    private static Path file(String subdir, String content) throws Exception {
        Path f = Files.createDirectories(dir.resolve(subdir)).resolve("image.raw");
        Files.writeString(f, content);
        return f;
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
