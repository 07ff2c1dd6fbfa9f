package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.confext.agent.fetch.FetchSettings;
import io.confext.agent.oci.PullSecrets;
import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.ExtensionReleaseMatcher;
import io.confext.agent.verify.HostRelease;
import io.confext.agent.verify.Policy;
import io.confext.agent.verify.TestImages;
import io.confext.agent.verify.TrustedCertificates;
import io.confext.api.oci.ArtifactLayout;
import io.confext.api.oci.RegistryCredentials;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedOci;
import io.confext.api.status.Reason;
import io.confext.testsupport.registry.RegistryServer;
import io.confext.testsupport.registry.RegistryServer.Layer;
import io.confext.testsupport.tier.RegistryTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's pull of an OCI artifact against a real registry on loopback (docker-registry with TLS from a CA made
 * here and basic auth), pushed with the real oras client: a signed naked image with its sidecars is pulled by manifest
 * digest and passes every image check; each bad input ends in its reason with nothing left in staging.
 */
@RegistryTest
class OciImageStagingTest {
    private static final HostRelease DEBIAN_13 =
            new HostRelease(Map.of("ID", "debian", "VERSION_ID", "13"), "x86-64", 262);
    private static final String SECRET = "registry-pull";

    @TempDir
    static Path dir;
    /** Each test's own: what a refusal must leave empty. */
    @TempDir
    Path staging;

    static RegistryServer registry;
    static TestImages.Pki trusted;
    static String goodDigest;
    static String imageLayer;
    static Path images;

    @BeforeAll
    static void registryWithArtifacts() throws Exception {
        String missing = RegistryServer.missingTools();
        assumeTrue(missing.isEmpty(), "no real registry: missing " + missing);
        TestImages.assumeTools("mkfs.erofs", "veritysetup", "openssl");
        registry = RegistryServer.start(dir.resolve("registry"));
        trusted = TestImages.Pki.create(dir, "trusted");
        Files.createDirectories(dir.resolve("verity.d"));
        Files.copy(trusted.cert(), dir.resolve("verity.d/trusted.crt"));

        images = Files.createDirectories(dir.resolve("images"));
        Path raw = images.resolve("demo_1.raw");
        TestImages.naked(TestImages.tree(dir, "demo", "ID=_any\n", "etc/demo.conf", "value=1\n"), raw, trusted);
        imageLayer = sha256(raw);
        goodDigest = registry.push(
                "confext/demo:1",
                ArtifactLayout.ARTIFACT_TYPE,
                new Layer(raw, ArtifactLayout.IMAGE),
                new Layer(images.resolve("demo_1.verity"), ArtifactLayout.VERITY),
                new Layer(images.resolve("demo_1.roothash"), ArtifactLayout.ROOT_HASH),
                new Layer(images.resolve("demo_1.roothash.p7s"), ArtifactLayout.ROOT_HASH_SIGNATURE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aSignedNakedImageIsPulledByDigestAndVerified() throws Exception {
        ImageStager.Result r = stage(oci("confext/demo", goodDigest, SECRET), imageLayer, secrets(registry.password()));

        assertThat(r).as("%s", r).isInstanceOf(ImageStager.Result.Staged.class);
        ImageStager.Result.Staged staged = (ImageStager.Result.Staged) r;
        assertThat(staged.verdict().signerFingerprint()).isEqualTo(trusted.fingerprint());
        assertThat(staged.dir().resolve("demo_1.raw")).hasSameBinaryContentAs(images.resolve("demo_1.raw"));
        assertThat(staged.dir().resolve("demo_1.verity")).hasSameBinaryContentAs(images.resolve("demo_1.verity"));
        assertThat(staged.dir().resolve("demo_1.roothash.p7s")).exists();
    }

    @Test
    void aSignedDdiIsOneLayer() throws Exception {
        TestImages.assumeTools("systemd-repart");
        Path d = Files.createDirectories(dir.resolve("ddi"));
        Path raw = d.resolve("demo_1.raw");
        TestImages.ddi(
                TestImages.tree(dir, "demo", "ID=_any\n", "etc/demo.conf", "value=ddi\n"), raw, trusted, "x86-64");
        String digest =
                registry.push("confext/ddi:1", ArtifactLayout.ARTIFACT_TYPE, new Layer(raw, ArtifactLayout.IMAGE));

        ImageStager.Result r = stage(oci("confext/ddi", digest, SECRET), sha256(raw), secrets(registry.password()));

        assertThat(r).as("%s", r).isInstanceOf(ImageStager.Result.Staged.class);
        ImageStager.Result.Staged staged = (ImageStager.Result.Staged) r;
        assertThat(staged.verdict().signerFingerprint()).isEqualTo(trusted.fingerprint());
        assertThat(staged.dir().resolve("demo_1.raw")).hasSameBinaryContentAs(raw);
        try (var files = Files.list(staged.dir())) {
            assertThat(files)
                    .as("a DDI carries its verity data inside: no sidecars")
                    .hasSize(1);
        }
    }

    @Test
    void aDigestTheRegistryDoesNotHaveIsManifestNotFound() throws Exception {
        String other = "sha256:" + "0".repeat(64);
        assertRefused(
                stage(oci("confext/demo", other, SECRET), imageLayer, secrets(registry.password())),
                Reason.ManifestNotFound,
                other);
    }

    @Test
    void withoutAPullSecretTheRegistryAsksForOne() throws Exception {
        assertRefused(
                stage(oci("confext/demo", goodDigest, null), imageLayer, PullSecrets.NONE),
                Reason.RegistryUnauthorized,
                "pullSecretName");
    }

    @Test
    void aWrongPasswordIsUnauthorized() throws Exception {
        assertRefused(
                stage(oci("confext/demo", goodDigest, SECRET), imageLayer, secrets("wrong")),
                Reason.RegistryUnauthorized,
                "refused the credentials of " + SECRET);
    }

    @Test
    void aMissingPullSecretIsNamed() throws Exception {
        assertRefused(
                stage(oci("confext/demo", goodDigest, "nope"), imageLayer, secrets(registry.password())),
                Reason.PullSecretNotFound,
                "nope");
    }

    @Test
    void anotherArtifactTypeIsRefusedBeforeAnyLayerIsPulled() throws Exception {
        Path f = Files.createDirectories(dir.resolve("chart")).resolve("chart.tgz");
        Files.writeString(f, "not a confext");
        String digest = registry.push(
                "confext/chart:1",
                "application/vnd.cncf.helm.config.v1+json",
                new Layer(f, "application/vnd.cncf.helm.chart.content.v1.tar+gzip"));
        assertRefused(
                stage(oci("confext/chart", digest, SECRET), sha256(f), secrets(registry.password())),
                Reason.WrongArtifactType,
                "application/vnd.cncf.helm.config.v1+json");
    }

    @Test
    void withoutTheCaTheTlsHandshakeFails() throws Exception {
        ResolvedOci o = oci("confext/demo", goodDigest, SECRET);
        ResolvedOci noCa = new ResolvedOci(
                o.registry(), o.repository(), o.manifestDigest(), o.reference(), o.pullSecretName(), null);
        assertRefused(stage(noCa, imageLayer, secrets(registry.password())), Reason.DownloadTlsFailure, "caBundle");
    }

    @Test
    void aCorruptBlobInTheRegistryIsADigestMismatch() throws Exception {
        Path raw = copyOfImage("corrupt");
        String digest =
                registry.push("confext/corrupt:1", ArtifactLayout.ARTIFACT_TYPE, new Layer(raw, ArtifactLayout.IMAGE));
        Path stored = registry.blobData("sha256:" + sha256(raw));
        byte[] b = Files.readAllBytes(stored);
        b[b.length / 2] ^= 1;
        Files.write(stored, b);
        try {
            assertRefused(
                    stage(oci("confext/corrupt", digest, SECRET), sha256(raw), secrets(registry.password())),
                    Reason.OciDigestMismatch,
                    "other bytes than its digest");
        } finally {
            b[b.length / 2] ^= 1;
            Files.write(stored, b);
        }
    }

    @Test
    void aBlobGoneFromTheRegistryIsBlobNotFound() throws Exception {
        Path raw = copyOfImage("gone");
        String digest =
                registry.push("confext/gone:1", ArtifactLayout.ARTIFACT_TYPE, new Layer(raw, ArtifactLayout.IMAGE));
        Files.delete(registry.blobData("sha256:" + sha256(raw)));
        assertRefused(
                stage(oci("confext/gone", digest, SECRET), sha256(raw), secrets(registry.password())),
                Reason.BlobNotFound,
                "push the artifact again");
    }

    @Test
    void aLayerOtherThanTheRevisionPinsIsRefused() throws Exception {
        assertRefused(
                stage(oci("confext/demo", goodDigest, SECRET), "1".repeat(64), secrets(registry.password())),
                Reason.OciDigestMismatch,
                "the revision pins");
    }

    /** The image differs in a byte from the good one (its own blob), so corrupting or deleting it spares the others. */
    private static Path copyOfImage(String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        Path raw = d.resolve("demo_1.raw");
        TestImages.naked(TestImages.tree(dir, "demo", "ID=_any\n", "etc/demo.conf", "value=" + name + "\n"), raw, null);
        return raw;
    }

    private void assertRefused(ImageStager.Result r, Reason reason, String inMessage) throws Exception {
        assertThat(r).as("%s", r).isInstanceOf(ImageStager.Result.Refused.class);
        ImageStager.Result.Refused refused = (ImageStager.Result.Refused) r;
        assertThat(refused.reason()).isEqualTo(reason.name());
        assertThat(refused.message()).contains(inMessage).doesNotContain("Exception");
        try (var left = Files.list(staging)) {
            assertThat(left).as("nothing unverified is left in staging").isEmpty();
        }
    }

    private static ResolvedOci oci(String repository, String digest, String secret) {
        return new ResolvedOci(
                registry.address(),
                repository,
                digest,
                registry.address() + "/" + repository + ":1",
                secret,
                registry.caPem());
    }

    private static PullSecrets secrets(String password) {
        byte[] config = RegistryCredentials.dockerConfigJson(registry.address(), RegistryServer.USER, password)
                .getBytes(StandardCharsets.UTF_8);
        return name -> name.equals(SECRET) ? Optional.of(config) : Optional.empty();
    }

    private ImageStager.Result stage(ResolvedOci oci, String layerSha256, PullSecrets secrets) throws Exception {
        FetchSettings fetch = new FetchSettings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                2,
                Duration.ofMillis(10),
                Duration.ofMillis(10),
                Optional.empty());
        ImageSettings settings = new ImageSettings(fetch, ImageSettings.DEFAULT_MAX_IMAGE_BYTES, Optional.empty())
                .withPullSecrets(secrets);
        TrustedCertificates trust = TrustedCertificates.fromDirectories(List.of(dir.resolve("verity.d")));
        Policy policy = Policy.signedBy(trust)
                .withArchitecture(Architecture.X86_64)
                .withHost(DEBIAN_13, ExtensionReleaseMatcher.Scope.SYSTEM)
                .withExtensionName("demo")
                .withSha256(layerSha256);
        return new ImageStager(settings)
                .stage(
                        "demo",
                        "1",
                        ResolvedImage.ofOci(oci, layerSha256, null),
                        policy,
                        trust,
                        staging,
                        io.confext.agent.fetch.RoomCheck.ANY);
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
