package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.fetch.FetchSettings;
import io.confext.agent.verify.TrustedCertificates;
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
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Image bundles through the agent's applier on a real systemd 262 host: images built inside the host by
 * {@code systemd-repart --make-ddi=confext} and {@code mkfs.erofs}, served over HTTPS by a local server, fetched,
 * verified, moved into {@code .v/} and activated with {@code ExtensionImages=} (service scope) or
 * {@code systemd-confext refresh} (host scope), then proven on the unit's main process. Tampered copies are refused,
 * each with its own reason, and leave nothing in staging or {@code .v/}.
 *
 * <p>This kernel has no device-mapper, so the agent runs with the image policy
 * {@code root=unprotected+absent:usr=absent}: systemd mounts the data partition without kernel dm-verity, and the
 * agent's user-space verification is the check (it is the first check on every host).
 */
@SystemdHostTest
class ImageBundlesOnSystemd262Test {
    static final String NO_DEVICE_MAPPER_POLICY = "root=unprotected+absent:usr=absent";
    static final String STATE_ROOT = "/var/lib/confext-operator";

    static SystemdHost host;
    static TestTls tls;
    static ImageServer server;
    static HostBuiltImages.Signer signer;
    static HostBuiltImages.Signer stranger;

    @BeforeAll
    static void start(@Host(value = HostImage.FORKY, name = "images") SystemdHost h) throws Exception {
        host = h;
        tls = TestTls.create();
        server = new ImageServer(tls.server(), 1000);
        signer = HostBuiltImages.Signer.create(host, "signer");
        stranger = HostBuiltImages.Signer.create(host, "stranger");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Each test has its own agent state directory on the shared host, so one test's bundles are not another's. */
    static String state;

    @org.junit.jupiter.api.BeforeEach
    void stateDir(org.junit.jupiter.api.TestInfo info) {
        state = STATE_ROOT + "-"
                + info.getTestMethod().orElseThrow().getName().substring(0, 12).toLowerCase(java.util.Locale.ROOT);
    }

    static String journal(String unit) {
        return host.exec("journalctl", "--no-pager", "-n", "40", "-u", unit).stdout();
    }

    static SystemdHostApplier applier() {
        FetchSettings fetch = new FetchSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                2,
                Duration.ofMillis(100),
                Duration.ofMillis(200),
                Optional.of(tls.client()));
        long pid = host.leaderPid();
        return new SystemdHostApplier(
                pid,
                ApplierSettings.defaults()
                        .withStateHostDir(state)
                        .withAgentVersion("test")
                        .withImages(
                                ImageSettings.defaults().withFetch(fetch).withImagePolicy(NO_DEVICE_MAPPER_POLICY)));
    }

    /** Serves the file under a fresh name and returns the desired bundle pointing at it. */
    static DesiredBundleContent bundle(
            String name, String version, Scope scope, Path image, ResolvedVerification trust, String... units) {
        return bundle(
                name,
                version,
                scope,
                HostBuiltImages.bytes(image),
                image.getFileName().toString(),
                trust,
                units);
    }

    static DesiredBundleContent bundle(
            String name,
            String version,
            Scope scope,
            byte[] image,
            String fileName,
            ResolvedVerification trust,
            String... units) {
        String served = name + "-" + version + "-" + System.nanoTime() + "/" + fileName;
        server.put(served, image);
        String sha = HostBuiltImages.sha256(image);
        RevisionContent c = new RevisionContent(
                version,
                scope,
                List.of(units),
                ResolvedSource.ofImage(
                        new ResolvedImage(server.uri("/ok/" + served).toString(), sha, false, null)),
                trust,
                ReloadMode.Reload,
                0);
        return new DesiredBundleContent(name, name + "-" + version, "sha256:" + sha, false, c);
    }

    static ResolvedVerification secretTrust() {
        return new ResolvedVerification(true, TrustSource.Secret, List.of(signer.pem(host)));
    }

    static String demo(int v) {
        return "value=" + v + "\n";
    }

    static List<String> entries(String versionsDir) throws IOException {
        Path d = host.hostPath(versionsDir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static void assertNothingStaged() throws IOException {
        Path staging = host.hostPath(state + "/staging");
        if (Files.isDirectory(staging)) {
            try (Stream<Path> s = Files.list(staging)) {
                assertThat(s.toList()).as("nothing left in staging").isEmpty();
            }
        }
    }

    static BundleState converge(SystemdHostApplier applier, DesiredBundleContent... bundles) {
        return SystemdHostApplierTestSupport.only(applier.converge(List.of(bundles)));
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
    }

    @Test
    void signedRepartDdisAreActivatedAndTamperedCopiesRefused() throws Exception {
        String unit = Bundles.uniqueUnit();
        String vdir = state + "/bundles/imgdemo.v";
        DemoService.install(host, unit);
        SystemdHostApplier applier = applier();
        String release = "ID=_any\n";

        Path v1 = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/imgdemo_1.raw",
                "imgdemo",
                release,
                Map.of("demo/demo.conf", demo(1)),
                signer,
                null);
        BundleState s1 = converge(applier, bundle("imgdemo", "1", Scope.Service, v1, secretTrust(), unit));
        assertThat(s1.getPhase()).as(s1.getMessage() + "\n" + journal(unit)).isEqualTo(BundlePhase.Active);
        assertThat(s1.getActiveVersion()).isEqualTo("1");
        String fingerprint = TrustedCertificates.fingerprint(TrustedCertificates.fromPem(List.of(signer.pem(host)))
                .certificates()
                .get(0));
        assertThat(s1.getMessage())
                .contains("signed by certificate sha256:" + fingerprint)
                .containsPattern("root hash [0-9a-f]{64}");
        assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains(demo(1));
        assertThat(host.readFile("/etc/systemd/system/" + unit + ".d/50-confext-operator.conf"))
                .contains("ExtensionImages=" + vdir + "/")
                .contains("ExtensionImagePolicy=" + NO_DEVICE_MAPPER_POLICY)
                .doesNotContain("ExtensionDirectories=");
        assertThat(entries(vdir)).containsExactly("imgdemo_1.raw");
        long pid1 = DemoService.mainPid(host, unit);

        // tampered and foreign copies of version 2: each refused with its own reason, nothing reaches .v/
        Path good2 = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/imgdemo_2.raw",
                "imgdemo",
                release,
                Map.of("demo/demo.conf", demo(2)),
                signer,
                null);
        byte[] flipped = HostBuiltImages.bytes(good2);
        long dataByte = rootPartitionOffset(good2) + 100; // in the first data block: covered by the hash tree
        flipped[(int) dataByte] ^= 0x01;
        Path untrusted = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/untrusted/imgdemo_2.raw",
                "imgdemo",
                release,
                Map.of("demo/demo.conf", demo(2)),
                stranger,
                null);
        Path foreign = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/arm/imgdemo_2.raw",
                "imgdemo",
                release,
                Map.of("demo/demo.conf", demo(2)),
                signer,
                "arm64");
        Path fedora = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/fedora/imgdemo_2.raw",
                "imgdemo",
                "ID=fedora\nVERSION_ID=40\n",
                Map.of("demo/demo.conf", demo(2)),
                signer,
                null);
        Map<String, DesiredBundleContent> tampered = new java.util.LinkedHashMap<>();
        tampered.put(
                "VerityRootHashMismatch",
                bundle("imgdemo", "2", Scope.Service, flipped, "imgdemo_2.raw", secretTrust(), unit));
        tampered.put("SignatureUntrusted", bundle("imgdemo", "2", Scope.Service, untrusted, secretTrust(), unit));
        tampered.put("ForeignArchitecture", bundle("imgdemo", "2", Scope.Service, foreign, secretTrust(), unit));
        tampered.put("ExtensionIdMismatch", bundle("imgdemo", "2", Scope.Service, fedora, secretTrust(), unit));
        for (var e : tampered.entrySet()) {
            BundleState refused = converge(applier, e.getValue());
            assertThat(refused.getPhase()).as(refused.getMessage()).isEqualTo(BundlePhase.Failed);
            assertThat(refused.getReason()).as(refused.getMessage()).isEqualTo(e.getKey());
            assertThat(refused.getActiveVersion()).isEqualTo("1");
            assertThat(entries(vdir)).as(e.getKey()).containsExactly("imgdemo_1.raw");
            assertNothingStaged();
            assertThat(DemoService.mainPid(host, unit)).isEqualTo(pid1);
            assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains(demo(1));
        }
        // the next pass (a resync) does not fetch a refused image again: same inputs, same verdict, same words
        DesiredBundleContent fedoraBundle = tampered.get("ExtensionIdMismatch");
        String fedoraUrl = fedoraBundle.content().source().image().url();
        int fetched = server.hits(fedoraUrl);
        assertThat(fetched).isEqualTo(1);
        BundleState fedoraRefusal = converge(applier, fedoraBundle);
        assertThat(fedoraRefusal.getReason()).isEqualTo("ExtensionIdMismatch");
        assertThat(fedoraRefusal.getMessage())
                .contains("ID=fedora")
                .contains("debian")
                .contains("not fetched again before");
        assertThat(server.hits(fedoraUrl))
                .as("a refused image is not downloaded again on the next pass")
                .isEqualTo(fetched);
        assertNothingStaged();
        // the same URL with other trust is other inputs: fetched and checked afresh
        RevisionContent fc = fedoraBundle.content();
        DesiredBundleContent otherTrust = new DesiredBundleContent(
                "imgdemo",
                "imgdemo-2b",
                fedoraBundle.digest(),
                false,
                new RevisionContent(
                        fc.version(),
                        fc.scope(),
                        fc.units(),
                        fc.source(),
                        new ResolvedVerification(true, TrustSource.Secret, List.of(stranger.pem(host))),
                        fc.reload(),
                        fc.priority()));
        BundleState recheck = converge(applier, otherTrust);
        assertThat(recheck.getPhase()).as(recheck.getMessage()).isEqualTo(BundlePhase.Failed);
        assertThat(server.hits(fedoraUrl)).as("other trust: fetched again").isEqualTo(fetched + 1);

        // the genuine version 2: a reload (systemd 262 refreshes the unit's extensions first), same main process;
        // while it downloads and verifies, the listener hears Fetching then Verified (with what was checked), and the
        // unit still sees version 1 at both moments
        List<String> steps = new java.util.ArrayList<>();
        BundleState s2 = SystemdHostApplierTestSupport.only(applier.converge(
                List.of(bundle("imgdemo", "2", Scope.Service, good2, secretTrust(), unit)),
                (b, phase, reason, message) -> steps.add(phase + " " + message + " | unit sees "
                        + DemoService.mainPidSees(host, unit, "demo/demo.conf").orElse(""))));
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0))
                .startsWith("Fetching downloading and verifying version 2 from https://")
                .contains("| unit sees " + demo(1));
        assertThat(steps.get(1))
                .startsWith("Verified version 2 verified: image root hash ")
                .contains("signed by certificate sha256:" + fingerprint)
                .contains("| unit sees " + demo(1));
        assertThat(s2.getPhase()).as(s2.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(DemoService.mainPid(host, unit)).isEqualTo(pid1);
        assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains(demo(2));
        assertThat(entries(vdir)).containsExactly("imgdemo_1.raw", "imgdemo_2.raw");

        // the same version again: nothing fetched or moved, the unit untouched, the provenance still reported
        DesiredBundleContent again = bundle("imgdemo", "2", Scope.Service, good2, secretTrust(), unit);
        BundleState same = converge(applier, again);
        assertThat(same.getPhase()).as(same.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(same.getMessage()).contains("signed by certificate sha256:" + fingerprint);
        assertThat(DemoService.mainPid(host, unit)).isEqualTo(pid1);

        // a verified version the service rejects (its reload fails): quarantined, version 2 back in place
        Path bad3 = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/imgdemo_3.raw",
                "imgdemo",
                release,
                Map.of("demo/demo.conf", demo(3) + "fail_reload=yes\n"),
                signer,
                null);
        BundleState rolled = converge(applier, bundle("imgdemo", "3", Scope.Service, bad3, secretTrust(), unit));
        assertThat(rolled.getPhase()).as(rolled.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(rolled.getReason()).isEqualTo("ReloadFailed");
        assertThat(rolled.getActiveVersion()).isEqualTo("2");
        assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains(demo(2));
        assertThat(entries(vdir)).containsExactly("imgdemo_1.raw", "imgdemo_2.raw");
        // the whole version in one directory of the bundle's bounded quarantine
        List<String> held = entries(state + "/quarantine/imgdemo");
        assertThat(held).singleElement().asString().startsWith("imgdemo_3.raw.ReloadFailed.");
        assertThat(entries(state + "/quarantine/imgdemo/" + held.get(0))).containsExactly("imgdemo_3.raw");

        BundleState removed = SystemdHostApplierTestSupport.only(applier.converge(List.of()));
        assertThat(removed.getPhase()).as(removed.getMessage()).isEqualTo(BundlePhase.Removed);
        assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).isEmpty();
        assertThat(entries(vdir)).isEmpty();
        assertThat(entries(state + "/quarantine"))
                .as("a bundle no longer managed has no quarantine")
                .isEmpty();
    }

    @Test
    void nakedErofsWithSidecarsIsActivatedWithTheNodesOwnTrust() throws Exception {
        String unit = Bundles.uniqueUnit();
        String vdir = state + "/bundles/nakeddemo.v";
        DemoService.install(host, unit);
        host.writeFile("/etc/verity.d/signer.crt", signer.pem(host), "0644");
        try {
            SystemdHostApplier applier = applier();
            ResolvedVerification nodeTrust = new ResolvedVerification(true, TrustSource.Node, List.of());

            // unsigned where a signature is required: refused, nothing staged
            HostBuiltImages.naked(
                    host,
                    "/var/tmp/naked-unsigned/nakeddemo_1.raw",
                    "nakeddemo",
                    "ID=_any\n",
                    Map.of("demo/demo.conf", demo(1)),
                    null);
            BundleState unsigned =
                    converge(applier, serveNaked("/var/tmp/naked-unsigned/nakeddemo_1.raw", "1", nodeTrust, unit));
            assertThat(unsigned.getPhase()).as(unsigned.getMessage()).isEqualTo(BundlePhase.Failed);
            assertThat(unsigned.getReason()).as(unsigned.getMessage()).isEqualTo("SignatureMissing");
            assertThat(entries(vdir)).isEmpty();
            assertNothingStaged();

            String rootHash = HostBuiltImages.naked(
                    host,
                    "/var/tmp/naked/nakeddemo_1.raw",
                    "nakeddemo",
                    "ID=_any\n",
                    Map.of("demo/demo.conf", demo(1)),
                    signer);
            BundleState s1 = converge(applier, serveNaked("/var/tmp/naked/nakeddemo_1.raw", "1", nodeTrust, unit));
            assertThat(s1.getPhase()).as(s1.getMessage() + "\n" + journal(unit)).isEqualTo(BundlePhase.Active);
            assertThat(s1.getMessage()).contains("root hash " + rootHash);
            assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains(demo(1));
            // the policy for this kernel (no device-mapper) rules out kernel verity: the sidecars, verified, stay out
            assertThat(entries(vdir)).containsExactly("nakeddemo_1.raw");
            assertThat(SystemdHostApplierTestSupport.only(applier.converge(List.of()))
                            .getPhase())
                    .isEqualTo(BundlePhase.Removed);
        } finally {
            host.execOk("rm", "-f", "/etc/verity.d/signer.crt");
        }
    }

    /** Serves a naked image and its sidecars next to each other, as a user publishes them. */
    static DesiredBundleContent serveNaked(String image, String version, ResolvedVerification trust, String... units) {
        return serve("nakeddemo", version, Scope.Service, image, trust, units);
    }

    static DesiredBundleContent serve(
            String name, String version, Scope scope, String image, ResolvedVerification trust, String... units) {
        String dir = "naked-" + System.nanoTime() + "/";
        String base = image.substring(0, image.length() - 4);
        String file = Path.of(image).getFileName().toString();
        String fileBase = file.substring(0, file.length() - 4);
        for (String suffix : ImageVersion.SIDECARS) {
            Path p = host.hostPath(base + suffix);
            if (Files.exists(p)) {
                server.put(dir + fileBase + suffix, HostBuiltImages.bytes(p));
            }
        }
        byte[] bytes = HostBuiltImages.bytes(host.hostPath(image));
        server.put(dir + file, bytes);
        String sha = HostBuiltImages.sha256(bytes);
        RevisionContent c = new RevisionContent(
                version,
                scope,
                List.of(units),
                ResolvedSource.ofImage(
                        new ResolvedImage(server.uri("/ok/" + dir + file).toString(), sha, false, null)),
                trust,
                ReloadMode.Reload,
                0);
        return new DesiredBundleContent(name, name + "-" + version, "sha256:" + sha, false, c);
    }

    /**
     * Host scope with naked erofs images: systemd-confext 262 reads a DDI's metadata through dm-verity whatever the
     * image policy says ("Cannot initialize device-mapper"), so on this kernel only naked images can be host-merged.
     */
    @Test
    void hostScopeImageIsMergedIntoTheHostsEtcThroughItsLink() throws Exception {
        String unit = Bundles.uniqueUnit();
        DemoService.install(host, unit, "/etc/hostimg/demo.conf", true);
        SystemdHostApplier applier = applier();
        ResolvedVerification signed = secretTrust();
        for (int v = 1; v <= 3; v++) {
            String image = "/var/tmp/hostimg/" + v + "/hostimg_" + v + ".raw";
            HostBuiltImages.naked(host, image, "hostimg", "ID=_any\n", Map.of("hostimg/demo.conf", demo(v)), signer);
            BundleState s = converge(applier, serve("hostimg", Integer.toString(v), Scope.Host, image, signed, unit));
            assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
            assertThat(host.readFile("/etc/hostimg/demo.conf")).isEqualTo(demo(v));
            assertThat(DemoService.mainPidSees(host, unit, "hostimg/demo.conf")).contains(demo(v));
            assertThat(Files.readSymbolicLink(host.hostPath("/var/lib/confexts/hostimg.raw")))
                    .isEqualTo(Path.of("hostimg.v/hostimg_" + v + ".raw"));
        }
        assertThat(host.execOk("systemd-confext", "status").stdout()).contains("hostimg");
        assertThat(entries("/var/lib/confexts/hostimg.v"))
                .containsExactly("hostimg_1.raw", "hostimg_2.raw", "hostimg_3.raw");

        // a refused version changes nothing in the host's /etc, its link or its versions
        String fedora = "/var/tmp/hostimg/4/hostimg_4.raw";
        HostBuiltImages.naked(
                host, fedora, "hostimg", "ID=fedora\nVERSION_ID=40\n", Map.of("hostimg/demo.conf", demo(4)), signer);
        BundleState refused = converge(applier, serve("hostimg", "4", Scope.Host, fedora, signed, unit));
        assertThat(refused.getReason()).as(refused.getMessage()).isEqualTo("ExtensionIdMismatch");
        assertThat(host.readFile("/etc/hostimg/demo.conf")).isEqualTo(demo(3));
        assertThat(entries("/var/lib/confexts/hostimg.v"))
                .containsExactly("hostimg_1.raw", "hostimg_2.raw", "hostimg_3.raw");
        assertNothingStaged();

        BundleState removed = SystemdHostApplierTestSupport.only(applier.converge(List.of()));
        assertThat(removed.getPhase()).as(removed.getMessage()).isEqualTo(BundlePhase.Removed);
        assertThat(host.hostPath("/etc/hostimg/demo.conf")).doesNotExist();
        assertThat(Files.exists(
                        host.hostPath("/var/lib/confexts/hostimg.raw"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isFalse();
    }

    /**
     * Host scope, one bundle moving from an image version (merged under its own name, {@code mixed}, through its link
     * {@code mixed.raw}) to a directory version (named by its priority, {@code 0500-mixed}): the move renames the
     * bundle's versions (see {@link HostExtensionDirs}), the host's /etc has the directory version's file, the image's
     * name and link leave systemd-confext's search path, and nothing is left retired or staged.
     */
    @Test
    void hostScopeMovesFromAnImageVersionToADirectoryVersion() throws Exception {
        String unit = Bundles.uniqueUnit();
        DemoService.install(host, unit, "/etc/mixed/demo.conf", true);
        SystemdHostApplier applier = applier();

        String image1 = "/var/tmp/mixed/1/mixed_1.raw";
        HostBuiltImages.naked(host, image1, "mixed", "ID=_any\n", Map.of("mixed/demo.conf", demo(1)), signer);
        assertMixed(converge(applier, serve("mixed", "1", Scope.Host, image1, secretTrust(), unit)), "1", unit);
        assertThat(mixedInConfexts()).containsExactlyInAnyOrder("mixed.raw", "mixed.v");

        assertMixed(converge(applier, mixedDirectory("2", unit)), "2", unit);
        assertThat(mixedInConfexts())
                .as("under the priority's name only: the image's link and directory gone")
                .containsExactly("0500-mixed.v");
        assertThat(host.execOk("systemd-confext", "status").stdout()).contains("0500-mixed");
        assertMixed(converge(applier, mixedDirectory("2", unit)), "2", unit); // a resync moves nothing

        BundleState removed = SystemdHostApplierTestSupport.only(applier.converge(List.of()));
        assertThat(removed.getPhase()).as(removed.getMessage()).isEqualTo(BundlePhase.Removed);
        assertThat(host.hostPath("/etc/mixed/demo.conf")).doesNotExist();
        assertThat(mixedInConfexts()).isEmpty();
    }

    /**
     * The other way, a directory version then an image version, fails today: the rename carries the kept directory
     * entry {@code 0500-mixed_1} into {@code mixed.v/} as {@code mixed_1}, and systemd-confext takes the bundle's
     * name from that directory entry rather than from the image's link {@code mixed.raw}, so the unit still sees
     * version 1 and the image version is quarantined ("ProofFailed: ... sees 1, not 2"). Seen on systemd 262; to be
     * enabled with the fix (HostExtensionDirs/KeptVersions: a directory entry must not stay under an image's name).
     */
    @org.junit.jupiter.api.Disabled(
            "known defect: a kept directory entry under an image bundle's name shadows the image")
    @Test
    void hostScopeMovesFromADirectoryVersionToAnImageVersion() throws Exception {
        String unit = Bundles.uniqueUnit();
        DemoService.install(host, unit, "/etc/mixed/demo.conf", true);
        SystemdHostApplier applier = applier();
        assertMixed(converge(applier, mixedDirectory("1", unit)), "1", unit);
        assertThat(mixedInConfexts()).containsExactly("0500-mixed.v");

        String image2 = "/var/tmp/mixed/2/mixed_2.raw";
        HostBuiltImages.naked(host, image2, "mixed", "ID=_any\n", Map.of("mixed/demo.conf", demo(2)), signer);
        assertMixed(converge(applier, serve("mixed", "2", Scope.Host, image2, secretTrust(), unit)), "2", unit);
        assertThat(mixedInConfexts()).as("the directory name is gone").doesNotContain("0500-mixed.v");
    }

    private static DesiredBundleContent mixedDirectory(String version, String unit) {
        RevisionContent c = new RevisionContent(
                version,
                Scope.Host,
                List.of(unit),
                ResolvedSource.ofFiles(List.of(new io.confext.api.revision.ResolvedFile(
                        "mixed/demo.conf", demo(Integer.parseInt(version)), "0644"))),
                null,
                ReloadMode.Reload,
                500);
        return new DesiredBundleContent("mixed", "mixed-" + version, "sha256:mixeddir" + version, false, c);
    }

    private static void assertMixed(BundleState s, String version, String unit) throws Exception {
        assertThat(s.getPhase()).as(s.getReason() + ": " + s.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s.getActiveVersion()).isEqualTo(version);
        String want = demo(Integer.parseInt(version));
        assertThat(host.readFile("/etc/mixed/demo.conf")).isEqualTo(want);
        assertThat(DemoService.mainPidSees(host, unit, "mixed/demo.conf")).contains(want);
        assertThat(entries(state + "/retired")).as("nothing left retired").isEmpty();
        assertNothingStaged();
    }

    /** The bundle's names in systemd-confext's search path (the host is shared with the other tests' bundles). */
    private static List<String> mixedInConfexts() throws IOException {
        return entries("/var/lib/confexts").stream()
                .filter(n -> n.equals("mixed.v") || n.equals("mixed.raw") || n.endsWith("-mixed.v"))
                .toList();
    }

    /** DESIGN.md "Known obstacle": 21 image activations in a row through the agent, each proven, retention keeping 3. */
    @Test
    void twentyOneConsecutiveImageActivationsHoldTheLoopSupply() throws Exception {
        String unit = Bundles.uniqueUnit();
        String vdir = state + "/bundles/loopimg.v";
        DemoService.install(host, unit);
        SystemdHostApplier applier = applier();
        for (int v = 1; v <= 21; v++) {
            Path image = HostBuiltImages.ddi(
                    host,
                    "/var/tmp/loopimg/loopimg_" + v + ".raw",
                    "loopimg",
                    "ID=_any\n",
                    Map.of("demo/demo.conf", demo(v)),
                    signer,
                    null);
            BundleState s = converge(
                    applier, bundle("loopimg", Integer.toString(v), Scope.Service, image, secretTrust(), unit));
            assertThat(s.getPhase()).as("activation %d: %s", v, s.getMessage()).isEqualTo(BundlePhase.Active);
            assertThat(s.getActiveVersion()).isEqualTo(Integer.toString(v));
            assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf"))
                    .as("activation %d", v)
                    .contains(demo(v));
            assertThat(entries(vdir))
                    .as("activation %d", v)
                    .hasSize(Math.min(v, VersionRetention.KEEP))
                    .contains("loopimg_" + v + ".raw");
            host.execOk("rm", "-f", "/var/tmp/loopimg/loopimg_" + v + ".raw");
        }
        assertThat(entries(vdir)).containsExactly("loopimg_19.raw", "loopimg_20.raw", "loopimg_21.raw");
        assertThat(SystemdHostApplierTestSupport.only(applier.converge(List.of()))
                        .getPhase())
                .isEqualTo(BundlePhase.Removed);
    }

    /** Byte offset of the root (data) partition of a DDI for x86-64. */
    static long rootPartitionOffset(Path ddi) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(ddi)) {
            return new io.confext.agent.verify.GptReader()
                    .read(ch)
                    .orElseThrow()
                    .ofType(io.confext.agent.verify.Architecture.X86_64.root())
                    .get(0)
                    .offset();
        } catch (io.confext.agent.verify.ImageFormatException e) {
            throw new IllegalStateException(e);
        }
    }
}
