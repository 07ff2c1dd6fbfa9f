package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.fetch.FetchSettings;
import io.confext.agent.trust.NodeTrustSettings;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.ResolvedVerification;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.TrustSource;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import io.confext.testsupport.ImageServer;
import io.confext.testsupport.TestTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The node's own last line on a real systemd 262 host: the built-in floor, the node policy file under the host's
 * /etc, the platform's signature requirement, and the re-check of an image already in {@code .v/} before it is used
 * again. Images are made inside the host by systemd-repart and mkfs.erofs ({@link HostBuiltImages}) and served over
 * HTTPS; every refusal leaves the unit, the {@code .v/} directory and staging as they were.
 */
@SystemdHostTest
class NodeTrustOnSystemd262Test {
    static final String NO_DEVICE_MAPPER_POLICY = ImageBundlesOnSystemd262Test.NO_DEVICE_MAPPER_POLICY;

    static SystemdHost host;
    static TestTls tls;
    static ImageServer server;
    static HostBuiltImages.Signer signer;

    /** Each test has its own state directory and policy file on the shared host. */
    String state;

    String policyFile;

    @BeforeAll
    static void start(@Host(value = HostImage.FORKY, name = "nodetrust") SystemdHost h) throws Exception {
        host = h;
        tls = TestTls.create();
        server = new ImageServer(tls.server(), 1000);
        signer = HostBuiltImages.Signer.create(host, "signer");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void perTest(TestInfo info) {
        String id =
                info.getTestMethod().orElseThrow().getName().substring(0, 12).toLowerCase(java.util.Locale.ROOT);
        state = "/var/lib/confext-operator-" + id;
        policyFile = "/etc/confext-operator/policy-" + id + ".yaml";
    }

    SystemdHostApplier applier(boolean requireSignedImages) {
        FetchSettings fetch = new FetchSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                2,
                Duration.ofMillis(100),
                Duration.ofMillis(200),
                Optional.of(tls.client()));
        return new SystemdHostApplier(
                host.leaderPid(),
                ApplierSettings.defaults()
                        .withStateHostDir(state)
                        .withAgentVersion("test")
                        .withImages(ImageSettings.defaults().withFetch(fetch).withImagePolicy(NO_DEVICE_MAPPER_POLICY))
                        .withTrust(new NodeTrustSettings(requireSignedImages, policyFile)));
    }

    static DesiredBundleContent files(
            String name, String version, Scope scope, Map<String, String> files, String... units) {
        RevisionContent c = new RevisionContent(
                version,
                scope,
                List.of(units),
                ResolvedSource.ofFiles(files.entrySet().stream()
                        .map(e -> new ResolvedFile(e.getKey(), e.getValue(), "0644"))
                        .toList()),
                null,
                ReloadMode.Restart,
                0);
        return new DesiredBundleContent(
                name, name + "-" + version, "sha256:" + Integer.toHexString(c.hashCode()), false, c);
    }

    /** Serves an image made in the host under a fresh URL (a naked image's sidecars next to it) as a bundle. */
    static DesiredBundleContent image(
            String name, String version, String hostImage, ResolvedVerification trust, String unit) {
        String dir = "nodetrust-" + System.nanoTime() + "/";
        String file = Path.of(hostImage).getFileName().toString();
        for (Path sidecar : ImageVersion.sidecarsOf(host.hostPath(hostImage))) {
            if (Files.exists(sidecar)) {
                server.put(dir + sidecar.getFileName(), HostBuiltImages.bytes(sidecar));
            }
        }
        byte[] bytes = HostBuiltImages.bytes(host.hostPath(hostImage));
        server.put(dir + file, bytes);
        String sha = HostBuiltImages.sha256(bytes);
        RevisionContent c = new RevisionContent(
                version,
                Scope.Service,
                List.of(unit),
                ResolvedSource.ofImage(
                        new ResolvedImage(server.uri("/ok/" + dir + file).toString(), sha, false, null)),
                trust,
                ReloadMode.Reload,
                0);
        return new DesiredBundleContent(name, name + "-" + version, "sha256:" + sha, false, c);
    }

    List<String> entries(String dir) throws IOException {
        Path d = host.hostPath(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    void assertNothingStaged() throws IOException {
        assertThat(entries(state + "/staging")).as("nothing left in staging").isEmpty();
    }

    static BundleState converge(SystemdHostApplier applier, DesiredBundleContent... bundles) {
        return SystemdHostApplierTestSupport.only(applier.converge(List.of(bundles)));
    }

    static BundleState named(List<BundleState> states, String name) {
        return states.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no state for " + name + " in "
                        + states.stream().map(BundleState::getName).toList()));
    }

    @Test
    void floorRefusesABundleWritingTrustAnchorsWhateverThePolicyFileSays() throws Exception {
        String unit = Bundles.uniqueUnit();
        DemoService.install(host, unit);
        // a policy file that lifts nothing it could: the floor is not in it and cannot be taken out by it
        host.writeFile(policyFile, "deniedPaths: []\nallowedScopes: [Service, Host]\n", "0644");
        try {
            SystemdHostApplier applier = applier(false);
            BundleState s = converge(
                    applier,
                    files(
                            "anchors",
                            "1",
                            Scope.Host,
                            Map.of("verity.d/evil.crt", signer.pem(host), "demo/demo.conf", "value=1\n"),
                            unit));
            assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Failed);
            assertThat(s.getReason()).isEqualTo("NodePolicyDenied");
            assertThat(s.getMessage())
                    .contains("node policy floor")
                    .contains("rule verity.d/")
                    .contains("verity.d/evil.crt");
            assertThat(entries("/var/lib/confexts")) // under its name or its priority name (HostStackOrder)
                    .noneMatch(n -> HostStackOrder.names(n.replaceFirst("\\.v$", ""), "anchors"));
            assertThat(host.hostPath("/etc/verity.d/evil.crt")).doesNotExist();
            assertNothingStaged();

            BundleState own = converge(
                    applier,
                    files(
                            "ownpolicy",
                            "1",
                            Scope.Service,
                            Map.of("confext-operator/policy.yaml", "deniedPaths: []\n"),
                            unit));
            assertThat(own.getReason()).as(own.getMessage()).isEqualTo("NodePolicyDenied");
            assertThat(own.getMessage()).contains("rule confext-operator/");
            assertThat(DemoService.mainPidSees(host, unit, "confext-operator/policy.yaml"))
                    .isEmpty();
        } finally {
            host.execOk("rm", "-f", policyFile);
        }
    }

    @Test
    void policyFileDeniesPathPrefixesScopesAndFailsClosedWhenBroken() throws Exception {
        String unit = Bundles.uniqueUnit();
        DemoService.install(host, unit);
        SystemdHostApplier applier = applier(false);
        host.writeFile(policyFile, "deniedPaths: [demo/private/]\nallowedScopes: [Service]\n", "0644");
        try {
            BundleState denied = converge(
                    applier,
                    files(
                            "demo",
                            "1",
                            Scope.Service,
                            Map.of("demo/demo.conf", "value=1\n", "demo/private/key", "k\n"),
                            unit));
            assertThat(denied.getPhase()).as(denied.getMessage()).isEqualTo(BundlePhase.Failed);
            assertThat(denied.getReason()).isEqualTo("NodePolicyDenied");
            assertThat(denied.getMessage())
                    .contains(policyFile)
                    .contains("rule deniedPaths demo/private/")
                    .contains("demo/private/key");
            assertThat(entries(state + "/bundles/demo.v")).isEmpty();
            assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).isEmpty();

            BundleState host1 =
                    converge(applier, files("hostdemo", "1", Scope.Host, Map.of("hostdemo/a.conf", "a\n"), unit));
            assertThat(host1.getReason()).as(host1.getMessage()).isEqualTo("NodePolicyDenied");
            assertThat(host1.getMessage()).contains("rule allowedScopes");
            assertThat(host.hostPath("/etc/hostdemo/a.conf")).doesNotExist();

            // the same unit with allowed paths only: applied and proven
            DesiredBundleContent ok2 = files("demo", "2", Scope.Service, Map.of("demo/demo.conf", "value=2\n"), unit);
            BundleState ok = converge(applier, ok2);
            assertThat(ok.getPhase()).as(ok.getMessage()).isEqualTo(BundlePhase.Active);
            assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains("value=2\n");

            // an image's own files are checked too: admission never sees them
            HostBuiltImages.naked(
                    host,
                    "/var/tmp/nodetrust/priv/imgpriv_1.raw",
                    "imgpriv",
                    "ID=_any\n",
                    Map.of("demo/private/key", "k\n"),
                    signer);
            host.writeFile("/etc/verity.d/nodetrust-signer.crt", signer.pem(host), "0644");
            try {
                BundleState img = named(
                        applier.converge(List.of(
                                ok2,
                                image(
                                        "imgpriv",
                                        "1",
                                        "/var/tmp/nodetrust/priv/imgpriv_1.raw",
                                        new ResolvedVerification(true, TrustSource.Node, List.of()),
                                        unit))),
                        "imgpriv");
                assertThat(img.getReason()).as(img.getMessage()).isEqualTo("NodePolicyDenied");
                assertThat(img.getMessage()).contains("the image of bundle imgpriv contains demo/private");
                assertThat(entries(state + "/bundles/imgpriv.v")).isEmpty();
                assertNothingStaged();
            } finally {
                host.execOk("rm", "-f", "/etc/verity.d/nodetrust-signer.crt");
            }

            // a broken file: every bundle refused (fail closed), nothing changed on the unit
            long pid = DemoService.mainPid(host, unit);
            host.writeFile(policyFile, "deniedPath: [demo/private/]\n", "0644");
            BundleState broken = named(
                    applier.converge(
                            List.of(files("demo", "3", Scope.Service, Map.of("demo/demo.conf", "value=3\n"), unit))),
                    "demo");
            assertThat(broken.getPhase()).as(broken.getMessage()).isEqualTo(BundlePhase.Failed);
            assertThat(broken.getReason()).isEqualTo("NodePolicyInvalid");
            assertThat(broken.getMessage()).contains(policyFile).contains("deniedPath");
            assertThat(DemoService.mainPid(host, unit)).isEqualTo(pid);
            assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains("value=2\n");
            assertThat(entries(state + "/bundles/demo.v")).containsExactly("demo_2");
        } finally {
            host.execOk("rm", "-f", policyFile);
        }
        assertThat(SystemdHostApplierTestSupport.only(applier.converge(List.of()))
                        .getPhase())
                .isEqualTo(BundlePhase.Removed);
    }

    @Test
    void requiredSignaturesRefuseAnUnsignedImageAndNothingReachesTheVersions() throws Exception {
        String unit = Bundles.uniqueUnit();
        String vdir = state + "/bundles/unsigned.v";
        DemoService.install(host, unit);
        String image = "/var/tmp/nodetrust/unsigned/unsigned_1.raw";
        HostBuiltImages.naked(host, image, "unsigned", "ID=_any\n", Map.of("demo/demo.conf", "value=1\n"), null);
        // the bundle itself asks for no signature
        ResolvedVerification lax = new ResolvedVerification(false, TrustSource.Node, List.of());

        // no trusted certificate on the node: refused before anything is downloaded
        DesiredBundleContent b = image("unsigned", "1", image, lax, unit);
        BundleState noTrust = converge(applier(true), b);
        assertThat(noTrust.getPhase()).as(noTrust.getMessage()).isEqualTo(BundlePhase.Failed);
        assertThat(noTrust.getReason()).isEqualTo("SignatureRequired");
        assertThat(noTrust.getMessage()).contains("confext.agent.require-signed-images");
        assertThat(server.hits(b.content().source().image().url())).isZero();

        // with a trusted certificate: downloaded, found unsigned, refused in the platform's words
        host.writeFile("/etc/verity.d/nodetrust-signer.crt", signer.pem(host), "0644");
        try {
            BundleState unsigned = converge(applier(true), image("unsigned", "1", image, lax, unit));
            assertThat(unsigned.getPhase()).as(unsigned.getMessage()).isEqualTo(BundlePhase.Failed);
            assertThat(unsigned.getReason()).isEqualTo("SignatureRequired");
            assertThat(unsigned.getMessage()).contains("no .roothash.p7s sidecar");
            assertThat(entries(vdir)).isEmpty();
            assertNothingStaged();
            assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).isEmpty();

            // the node policy can require it as well, with the platform setting off
            host.writeFile(policyFile, "requireSignedImages: true\n", "0644");
            BundleState byNode = converge(applier(false), image("unsigned", "1", image, lax, unit));
            assertThat(byNode.getReason()).as(byNode.getMessage()).isEqualTo("SignatureRequired");
            assertThat(byNode.getMessage()).contains("requireSignedImages in " + policyFile);
            assertThat(entries(vdir)).isEmpty();
            host.execOk("rm", "-f", policyFile);

            // the control: without any requirement the same image is applied
            BundleState lenient = converge(applier(false), image("unsigned", "1", image, lax, unit));
            assertThat(lenient.getPhase()).as(lenient.getMessage()).isEqualTo(BundlePhase.Active);
            assertThat(entries(vdir)).containsExactly("unsigned_1.raw");
        } finally {
            host.execOk("rm", "-f", "/etc/verity.d/nodetrust-signer.crt", policyFile);
        }
        assertThat(SystemdHostApplierTestSupport.only(applier(false).converge(List.of()))
                        .getPhase())
                .isEqualTo(BundlePhase.Removed);
    }

    @Test
    void aKeptImageChangedOnTheHostIsDriftRepairedFromTheSourceInTheSamePass() throws Exception {
        String unit = Bundles.uniqueUnit();
        String vdir = state + "/bundles/kept.v";
        DemoService.install(host, unit);
        SystemdHostApplier applier = applier(false);
        ResolvedVerification trust = new ResolvedVerification(true, TrustSource.Secret, List.of(signer.pem(host)));
        HostBuiltImages.ddi(
                host,
                "/var/tmp/nodetrust/kept/kept_1.raw",
                "kept",
                "ID=_any\n",
                Map.of("demo/demo.conf", "value=1\n"),
                signer,
                null);
        DesiredBundleContent v1 = image("kept", "1", "/var/tmp/nodetrust/kept/kept_1.raw", trust, unit);
        BundleState s1 = converge(applier, v1);
        assertThat(s1.getPhase()).as(s1.getMessage()).isEqualTo(BundlePhase.Active);
        // the same version again, untouched: reused, checked again, still Active
        assertThat(converge(applier, v1).getPhase()).isEqualTo(BundlePhase.Active);
        int fetched = server.hits(v1.content().source().image().url());
        byte[] genuine = Files.readAllBytes(host.hostPath(vdir + "/kept_1.raw"));

        // someone changes the kept image on the host: one byte of its data partition. The version is still the good
        // one (the revision pins its sha256): the pass says Drifted, fetches the genuine image again, verifies it and
        // activates it; the version is not failed, so no rollout halts for it
        Path kept = host.hostPath(vdir + "/kept_1.raw");
        ImageBundlesOnSystemd262Test.flipByte(kept, ImageBundlesOnSystemd262Test.rootPartitionOffset(kept) + 100);
        BundleState repaired = converge(applier, v1);
        assertThat(repaired.getPhase()).as(repaired.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(repaired.getActiveVersion()).isEqualTo("1");
        assertThat(repaired.getReason()).as(repaired.getMessage()).isEqualTo("Drifted");
        assertThat(repaired.getMessage())
                .contains("changed " + vdir + "/kept_1.raw")
                .contains("sha256 mismatch");
        assertThat(server.hits(v1.content().source().image().url()))
                .as("fetched again in the same pass")
                .isEqualTo(fetched + 1);
        assertThat(Files.readAllBytes(kept)).as("the genuine bytes back").isEqualTo(genuine);
        assertThat(entries(vdir)).containsExactly("kept_1.raw");
        assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains("value=1\n");
        assertThat(entries(state + "/quarantine/kept"))
                .as("the changed copy kept for a look, under the reason Drifted")
                .singleElement()
                .asString()
                .startsWith("kept_1.raw.Drifted.");

        // repaired: the next pass finds nothing to report
        BundleState calm = converge(applier, v1);
        assertThat(calm.getPhase()).as(calm.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(calm.getReason()).as(calm.getMessage()).isNotEqualTo("Drifted");
        assertThat(server.hits(v1.content().source().image().url())).isEqualTo(fetched + 1);
        assertThat(SystemdHostApplierTestSupport.only(applier.converge(List.of()))
                        .getPhase())
                .isEqualTo(BundlePhase.Removed);
    }
}
