package io.confext.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.box.Box;
import io.confext.box.BoxHost;
import io.confext.box.BoxSettings;
import io.confext.box.LiveView;
import io.confext.box.RolloutOutcome;
import io.confext.testbed.ConfextImages;
import io.confext.testbed.DemoSeen;
import io.confext.testbed.DemoService;
import io.confext.testbed.SystemdHost;
import io.confext.testsupport.ImageServer;
import io.confext.testsupport.TestTls;
import io.confext.testsupport.tier.E2eTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image bundles end to end: images made by the hosts' own systemd-repart and mkfs.erofs, served over HTTPS by this
 * test (its certificate is the only one the agents trust), across 3 real hosts. A tampered image must be refused
 * on every host for the reason that gives the tampering away, with nothing changed on any host; a good signed
 * one rolls out.
 */
@E2eTest
class ImageBundleE2ETest {

    static final List<String> NODES = List.of("img-a", "img-b", "img-c");
    static final Duration ROLLOUT = Duration.ofMinutes(3);
    static final String BUNDLES_DIR = "/var/lib/confext-operator/bundles/";

    /** Images, TLS material and the box's work directory: kept for a look when a test failed, else removed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static Box box;
    static LiveView view;
    static ImageServer server;
    /** The good image of each bundle name (the extension name inside must match the bundle's). */
    static final Map<String, Path> images = new HashMap<>();

    @BeforeAll
    static void startBoxServerAndBuildImages() throws Exception {
        Path root = BoxAssumptions.repoRootOrSkip();
        TestTls tls = TestTls.create();
        box = Box.start(new BoxSettings(root, dir.resolve("box"), NODES, System.out).withAgentEnv(tls.agentEnv(dir)));
        view = LiveView.start(box.client(), System.out);
        server = new ImageServer(tls.server(), 0);

        SystemdHost builder = box.hosts().get(0).host();
        builder.execOk("mkdir", "-p", "/var/tmp/e2e-img");
        ConfextImages.selfSignedCertificate(
                builder, "/var/tmp/e2e-img/signer.key", "/var/tmp/e2e-img/signer.crt", "confext-e2e");
        String cert = builder.readFile("/var/tmp/e2e-img/signer.crt");
        for (BoxHost h : box.hosts()) {
            h.host().writeFile("/etc/verity.d/confext-e2e.crt", cert, "0644"); // node-local trust
        }
        for (String name : List.of("tampered-ddi", "signed")) {
            ConfextImages.ddi(
                    builder,
                    "/var/tmp/e2e-img/" + name + ".raw",
                    name,
                    demoConf(name, "2.0"),
                    "",
                    "/var/tmp/e2e-img/signer.key",
                    "/var/tmp/e2e-img/signer.crt");
        }
        ConfextImages.erofs(
                builder,
                "/var/tmp/e2e-img/tampered-erofs.raw",
                "tampered-erofs",
                demoConf("tampered-erofs", "2.0"),
                "");
        for (String name : List.of("tampered-ddi", "signed", "tampered-erofs")) {
            images.put(
                    name,
                    Files.copy(builder.hostPath("/var/tmp/e2e-img/" + name + ".raw"), dir.resolve(name + ".raw")));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (view != null) {
            view.close();
        }
        if (box != null) {
            box.close();
        }
    }

    @AfterEach
    void removeAllBundles() {
        if (box == null) {
            return;
        }
        box.client().resources(ConfextBundle.class).delete();
        Eventually.await(
                "every bundle deleted",
                ROLLOUT,
                () -> box.client()
                        .resources(ConfextBundle.class)
                        .list()
                        .getItems()
                        .isEmpty(),
                this::diagnostics);
        for (BoxHost h : box.hosts()) {
            Eventually.await(
                    h.name() + "'s demo service sees the host's own /etc again",
                    ROLLOUT,
                    () -> sees(h).equals(Optional.of(BoxSettings.HOST_OWN_CONFIG)),
                    this::diagnostics);
        }
    }

    @Test
    void aDdiWithAFlippedDataByteIsRefusedOnEveryHostByItsVerityCheckWithNothingChanged() throws Exception {
        String name = "tampered-ddi";
        Path good = images.get(name);
        // the digest in the bundle matches the tampered file: only the dm-verity hash tree can tell
        Path bad = Images.copyWithFlippedByte(
                good, dir.resolve(name + "-flipped.raw"), Images.rootPartitionOffset(good) + 100);
        refusedEverywhereWithNothingChanged(name, bad, Images.sha256(bad), "verity");
    }

    @Test
    void aNakedErofsImageWithAFlippedByteIsRefusedOnEveryHostByItsDigestWithNothingChanged() throws Exception {
        String name = "tampered-erofs";
        Path good = images.get(name);
        Path bad = Images.copyWithFlippedByte(good, dir.resolve(name + "-flipped.raw"), 100);
        refusedEverywhereWithNothingChanged(name, bad, Images.sha256(good), "sha256");
    }

    @Test
    void aGoodSignedDdiRollsOutAndEveryHostSeesIt() throws Exception {
        String name = "signed";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        Path good = images.get(name);
        box.apply(
                Bundles.image(name, "2.0", server.serve(name + ".raw", good), Images.sha256(good), NODES.size(), true));
        Eventually.await(
                name + " 2.0 rolled out on all hosts",
                ROLLOUT,
                () -> RolloutOutcome.complete(bundle(name), "2.0", NODES.size()),
                this::diagnostics);
        for (BoxHost h : box.hosts()) {
            DemoSeen seen = DemoService.awaitSeen(
                    h.host(),
                    BoxSettings.DEMO_UNIT,
                    s -> s.config().orElse("").contains(Bundles.marker(name, "2.0")),
                    Duration.ofSeconds(30));
            assertThat(seen.config())
                    .as("%s's demo service read", h.name())
                    .hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(name, "2.0")));
            assertThat(versions(h, name)).as("%s's %s.v/", h.name(), name).anyMatch(e -> e.startsWith(name + "_2.0"));
        }
    }

    /**
     * Rolls 1.0 (inline files) out, then offers 2.0 as {@code image} to every node at once, and checks that each
     * node refuses it for a reason naming {@code giveaway}, the bundle turns Degraded, and no host changed: same
     * demo service process that read 1.0 last, 1.0 still seen, no new entry in the bundle's {@code .v/}.
     */
    private void refusedEverywhereWithNothingChanged(String name, Path image, String sha256, String giveaway) {
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        Map<String, DemoSeen> before = new HashMap<>();
        Map<String, TreeSet<String>> versionsBefore = new HashMap<>();
        for (BoxHost h : box.hosts()) {
            before.put(h.name(), DemoService.seen(h.host(), BoxSettings.DEMO_UNIT));
            versionsBefore.put(h.name(), versions(h, name));
        }

        box.apply(Bundles.image(name, "2.0", server.serve(name + ".raw", image), sha256, NODES.size(), false));
        Eventually.await(
                "every node refuses " + name + " 2.0",
                ROLLOUT,
                () -> box.hosts().stream().allMatch(h -> refused(state(h.name(), name))),
                this::diagnostics);
        Eventually.await(
                name + " Degraded",
                ROLLOUT,
                () -> RolloutOutcome.degraded(bundle(name)).isPresent(),
                this::diagnostics);

        for (BoxHost h : box.hosts()) {
            BundleState s = state(h.name(), name);
            String why = (s.getReason() + " " + s.getMessage())
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9]", "");
            assertThat(why)
                    .as("%s's reason for refusing (%s: %s)", h.name(), s.getReason(), s.getMessage())
                    .contains(giveaway)
                    .contains("mismatch");
            assertThat(DemoService.seen(h.host(), BoxSettings.DEMO_UNIT))
                    .as("%s untouched: same process, no re-read", h.name())
                    .isEqualTo(before.get(h.name()));
            assertThat(sees(h))
                    .as("%s's demo service sees", h.name())
                    .hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(name, "1.0")));
            assertThat(versions(h, name))
                    .as("%s's %s.v/: nothing new appeared", h.name(), name)
                    .isEqualTo(versionsBefore.get(h.name()));
        }
        assertThat(server.downloads(name + ".raw"))
                .as("every node fetched it itself")
                .isGreaterThanOrEqualTo(NODES.size());
    }

    private static boolean refused(BundleState s) {
        return s != null && s.getPhase() == BundlePhase.Failed && "2.0".equals(s.getDesiredVersion());
    }

    private static Map<String, String> demoConf(String bundle, String version) {
        return Map.of("demo/demo.conf", Bundles.marker(bundle, version) + "\n");
    }

    /** The entries of the bundle's {@code .v/} directory on the host (empty when it has none). */
    private static TreeSet<String> versions(BoxHost h, String bundle) {
        Path v = h.host().hostPath(BUNDLES_DIR + bundle + ".v");
        TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(v)) {
            try (Stream<Path> s = Files.list(v)) {
                s.forEach(p -> names.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return names;
    }

    private void rollOut(ConfextBundle b) {
        box.apply(b);
        String name = b.getMetadata().getName();
        String version = b.getSpec().getVersion();
        Eventually.await(
                name + " " + version + " rolled out on all hosts",
                ROLLOUT,
                () -> RolloutOutcome.complete(bundle(name), version, NODES.size()),
                this::diagnostics);
    }

    private static Optional<String> sees(BoxHost h) {
        return DemoService.mainPidSees(h.host(), BoxSettings.DEMO_UNIT, "demo/demo.conf");
    }

    private static ConfextBundle bundle(String name) {
        return box.client().resources(ConfextBundle.class).withName(name).get();
    }

    private static BundleState state(String node, String bundle) {
        ConfextNode n = box.client().resources(ConfextNode.class).withName(node).get();
        if (n == null || n.getStatus() == null || n.getStatus().getBundles() == null) {
            return null;
        }
        return n.getStatus().getBundles().stream()
                .filter(b -> bundle.equals(b.getName()))
                .findFirst()
                .orElse(null);
    }

    private String diagnostics() {
        StringBuilder b = new StringBuilder();
        try {
            Map<String, Object> dump = new LinkedHashMap<>();
            dump.put(
                    "bundles",
                    box.client().resources(ConfextBundle.class).list().getItems());
            dump.put("nodes", box.client().resources(ConfextNode.class).list().getItems());
            b.append(io.fabric8.kubernetes.client.utils.Serialization.asYaml(dump));
        } catch (RuntimeException e) {
            b.append("(cannot read the cluster: ").append(e.getMessage()).append(")\n");
        }
        b.append("--- operator log ---\n").append(box.operator().logTail(25)).append('\n');
        box.hosts()
                .forEach(h -> b.append("--- agent ")
                        .append(h.name())
                        .append(" ---\n")
                        .append(h.agent().logTail(15))
                        .append('\n'));
        return b.toString();
    }
}
