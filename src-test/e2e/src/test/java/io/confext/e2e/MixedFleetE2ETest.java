package io.confext.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.api.v1alpha1.NotEligibleNode;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.box.Box;
import io.confext.box.BoxHost;
import io.confext.box.BoxSettings;
import io.confext.box.RolloutOutcome;
import io.confext.testbed.DemoService;
import io.confext.testbed.HostImage;
import io.confext.testsupport.tier.E2eTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixed fleet on real hosts: two systemd 262 hosts and one systemd 257 host (Debian trixie: confext, but no refresh
 * of a unit's confext stack on reload), the operator and a real agent per host as the box runs them. The 257 host's
 * agent reports its host facts; the operator, not the agent, decides it cannot run a {@code reload: Reload} bundle:
 * {@code NotEligible} with {@code ReloadRefreshUnsupported}, no entry, no halt, while the wave completes on the 262
 * hosts. Every outcome is checked on the hosts themselves (what the demo service's main process reads).
 */
@E2eTest
class MixedFleetE2ETest {

    static final String OLD = "mixed-257";
    static final List<String> NEW = List.of("mixed-a", "mixed-b");
    static final Duration ROLLOUT = Duration.ofMinutes(3);

    static Box box;
    /** The box's work directory (logs, kubeconfig, copied apps): kept for a look when a test failed, else removed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;

    @BeforeAll
    static void startBox() {
        Path root = BoxAssumptions.repoRootOrSkip();
        List<String> nodes = List.of(NEW.get(0), NEW.get(1), OLD);
        box = Box.start(new BoxSettings(root, work, nodes, System.out).withHostImage(OLD, HostImage.TRIXIE));
    }

    @AfterAll
    static void stopBox() {
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
    void theAgentsReportTheirHostsAsTheyAre() {
        for (BoxHost h : box.hosts()) {
            Eventually.await(
                    h.name() + " reports its host facts",
                    ROLLOUT,
                    () -> {
                        ConfextNode n = node(h.name());
                        return n != null
                                && n.getStatus() != null
                                && n.getStatus().getHost() != null
                                && n.getStatus().getHost().getSystemdVersion() != null;
                    },
                    this::diagnostics);
            var facts = node(h.name()).getStatus().getHost();
            int expected =
                    h.name().equals(OLD) ? HostImage.TRIXIE.expectedSystemd() : HostImage.FORKY.expectedSystemd();
            assertThat(facts.getSystemdVersion()).as(h.name()).isEqualTo(expected);
            assertThat(facts.getConfext()).as(h.name() + " has confext").isTrue();
            assertThat(facts.getRefreshOnReload())
                    .as(h.name() + " refreshes a unit's confext stack on reload")
                    .isEqualTo(!h.name().equals(OLD));
        }
    }

    @Test
    void aReloadBundleSkipsTheSystemd257HostAndCompletesOnThe262Hosts() {
        String name = "mixed";
        box.apply(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        awaitComplete(name, "1.0", NEW.size());
        assertNotEligible(name, OLD, "ReloadRefreshUnsupported");
        hostsSee(name, "1.0");

        // the next version goes in waves over the eligible hosts only, and never halts for the 257 host
        box.apply(Bundles.demo(name, "2.0", FailurePolicy.Halt));
        awaitComplete(name, "2.0", NEW.size());
        ConfextBundle b = bundle(name);
        assertThat(RolloutOutcome.degraded(b)).as("no halt, no degradation").isEmpty();
        assertNotEligible(name, OLD, "ReloadRefreshUnsupported");
        hostsSee(name, "2.0");
    }

    @Test
    void withRestartTheSystemd257HostIsEligibleToo() {
        String name = "restarted";
        ConfextBundle b = Bundles.demo(name, "1.0", FailurePolicy.Halt);
        b.getSpec().setReload(ReloadMode.Restart);
        box.apply(b);
        awaitComplete(name, "1.0", NEW.size() + 1);
        ConfextBundleStatus s = bundle(name).getStatus();
        assertThat(s.getNotEligible() == null ? 0 : s.getNotEligible())
                .as("a restart attaches the new stack on systemd 257 as well")
                .isZero();
        BoxHost old = host(OLD);
        assertThat(sees(old)).hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(name, "1.0")));
    }

    @Test
    void aBundleNoneOfWhoseNodesIsEligibleSaysSo() {
        String name = "onlyold";
        ConfextBundle b = Bundles.demo(name, "1.0", FailurePolicy.Halt);
        b.getSpec().setNodeSelector(Map.of("kubernetes.io/hostname", OLD));
        box.apply(b);
        Eventually.await(
                name + " Degraded with NoEligibleNodes",
                ROLLOUT,
                () -> RolloutOutcome.degraded(bundle(name))
                        .filter(d -> d.startsWith("NoEligibleNodes"))
                        .isPresent(),
                this::diagnostics);
        ConfextBundleStatus s = bundle(name).getStatus();
        assertThat(s.getNotEligible()).isEqualTo(1);
        assertThat(s.getCurrentVersion()).as("no version counts as rolled out").isNull();
        assertThat(entry(node(OLD), name))
                .as("no entry for a node that cannot run it")
                .isNull();
        assertThat(sees(host(OLD))).hasValue(BoxSettings.HOST_OWN_CONFIG);
    }

    private void awaitComplete(String name, String version, int nodes) {
        Eventually.await(
                name + " " + version + " rolled out on " + nodes + " host(s)",
                ROLLOUT,
                () -> RolloutOutcome.complete(bundle(name), version, nodes),
                this::diagnostics);
    }

    private void assertNotEligible(String bundle, String node, String reason) {
        ConfextBundleStatus s = bundle(bundle).getStatus();
        assertThat(s.getNotEligible()).as("status.notEligible").isEqualTo(1);
        assertThat(s.getNotEligibleNodes())
                .extracting(NotEligibleNode::getNode, NotEligibleNode::getReason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(node, reason));
        assertThat(entry(node(node), bundle))
                .as("the operator gave %s no entry", node)
                .isNull();
        assertThat(sees(host(node))).as("%s keeps its own /etc", node).hasValue(BoxSettings.HOST_OWN_CONFIG);
    }

    /** The 262 hosts' demo services read the version; the 257 host's reads its own /etc. */
    private void hostsSee(String bundle, String version) {
        for (String n : NEW) {
            assertThat(sees(host(n)))
                    .as("%s sees %s %s", n, bundle, version)
                    .hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(bundle, version)));
            BundleState st = state(node(n), bundle);
            assertThat(st).isNotNull();
            assertThat(st.getActiveVersion()).isEqualTo(version);
        }
        assertThat(sees(host(OLD))).hasValue(BoxSettings.HOST_OWN_CONFIG);
    }

    private static BoxHost host(String name) {
        return box.hosts().stream()
                .filter(h -> h.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Optional<String> sees(BoxHost h) {
        return DemoService.mainPidSees(h.host(), BoxSettings.DEMO_UNIT, "demo/demo.conf");
    }

    private static ConfextBundle bundle(String name) {
        return box.client().resources(ConfextBundle.class).withName(name).get();
    }

    private static ConfextNode node(String name) {
        return box.client().resources(ConfextNode.class).withName(name).get();
    }

    private static DesiredBundle entry(ConfextNode n, String bundle) {
        return BoxReads.entry(n, bundle);
    }

    private static BundleState state(ConfextNode n, String bundle) {
        return BoxReads.state(n, bundle);
    }

    private String diagnostics() {
        return BoxReads.diagnostics(box);
    }
}
