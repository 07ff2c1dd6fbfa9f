package io.confext.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.box.Box;
import io.confext.box.BoxHost;
import io.confext.box.BoxSettings;
import io.confext.box.LiveView;
import io.confext.box.RolloutOutcome;
import io.confext.testbed.DemoSeen;
import io.confext.testbed.DemoService;
import io.confext.testsupport.tier.E2eTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * End-to-end over all real parts: a real kube-apiserver (or the mock), 3 real systemd 262 hosts with the demo
 * service, the operator and one agent per host as the same child JVMs the box runs. One box for the class (booting
 * it is the expensive part); each test uses its own bundle and {@link #removeAllBundles} returns every host to its
 * own /etc after it, so the tests do not depend on each other. Every outcome is checked on the hosts themselves
 * (what the demo service's main process sees), not only in the status.
 */
@E2eTest
class RolloutE2ETest {

    static final List<String> NODES = List.of("e2e-a", "e2e-b", "e2e-c");
    static final Duration ROLLOUT = Duration.ofMinutes(3);

    static Box box;
    static LiveView view;
    /** The box's work directory (logs, kubeconfig, copied apps): kept for a look when a test failed, else removed. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path work;

    @BeforeAll
    static void startBox() throws Exception {
        Path root = BoxAssumptions.repoRootOrSkip();
        box = Box.start(new BoxSettings(root, work, NODES, System.out));
        view = LiveView.start(box.client(), System.out);
    }

    @AfterAll
    static void stopBox() {
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
        if (!box.operator().isAlive()) {
            box.operator().start();
        }
        box.hosts().stream()
                .filter(h -> !h.agent().isAlive())
                .forEach(h -> h.agent().start());
        box.client().resources(ConfextBundle.class).delete();
        Eventually.await(
                "every bundle deleted (finalizer released after the agents removed it)",
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
    void rolloutWithMaxUnavailableOneGoesInWavesInThePlannedOrderAndEveryHostSeesTheNewVersion() {
        String name = "waves";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        hostsSee(name, "1.0", box.hosts());

        box.apply(Bundles.demo(name, "2.0", FailurePolicy.Halt));
        List<String> assignedOrder = new ArrayList<>();
        int maxInFlight = 0;
        long deadline = System.nanoTime() + ROLLOUT.toNanos();
        while (!RolloutOutcome.complete(bundle(name), "2.0", NODES.size())) {
            assertThat(System.nanoTime())
                    .as("rollout of 2.0 within %s\n%s", ROLLOUT, diagnostics())
                    .isLessThan(deadline);
            int inFlight = 0;
            for (ConfextNode n :
                    box.client().resources(ConfextNode.class).list().getItems()) {
                DesiredBundle d = entry(n, name);
                BundleState s = state(n, name);
                if (d != null && "2.0".equals(d.getVersion())) {
                    if (!assignedOrder.contains(n.getMetadata().getName())) {
                        assignedOrder.add(n.getMetadata().getName());
                    }
                    if (s == null || s.getPhase() != BundlePhase.Active || !"2.0".equals(s.getActiveVersion())) {
                        inFlight++;
                    }
                }
            }
            maxInFlight = Math.max(maxInFlight, inFlight);
            Eventually.sleep(100);
        }
        assertThat(maxInFlight)
                .as("nodes assigned 2.0 and not yet proven at any one time")
                .isEqualTo(1);
        assertThat(assignedOrder)
                .as("the order the operator moved nodes to 2.0")
                .isEqualTo(PlannedOrder.of(name, NODES));
        hostsSee(name, "2.0", box.hosts());
    }

    @Test
    void aReloadFailureOnTheCanaryFallsBackLocallyDegradesTheBundleAndHaltsTheRollout() {
        String name = "halting";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        Map<String, DemoSeen> before = seenByHost();

        box.apply(Bundles.demo(name, "2.0", FailurePolicy.Halt, true));
        Eventually.await(
                name + " Degraded",
                ROLLOUT,
                () -> RolloutOutcome.degraded(bundle(name)).isPresent(),
                this::diagnostics);
        String canary = PlannedOrder.of(name, NODES).get(0);
        Eventually.sleep(5_000); // a halted rollout stays halted: give the operator time to do something wrong

        ConfextNode canaryNode =
                box.client().resources(ConfextNode.class).withName(canary).get();
        assertThat(state(canaryNode, name).getPhase())
                .as("canary %s phase", canary)
                .isIn(BundlePhase.Failed, BundlePhase.RolledBack);
        assertThat(sees(box.host(canary)))
                .as("canary %s fell back locally to 1.0", canary)
                .hasValueSatisfying(
                        c -> assertThat(c).contains(Bundles.marker(name, "1.0")).doesNotContain("2.0"));
        for (BoxHost h : box.hosts()) {
            if (h.name().equals(canary)) {
                continue;
            }
            ConfextNode n =
                    box.client().resources(ConfextNode.class).withName(h.name()).get();
            assertThat(entry(n, name).getVersion())
                    .as("%s is still assigned 1.0 (rollout halted)", h.name())
                    .isEqualTo("1.0");
            DemoSeen now = DemoService.seen(h.host(), BoxSettings.DEMO_UNIT);
            assertThat(now)
                    .as("%s untouched: same process, no re-read", h.name())
                    .isEqualTo(before.get(h.name()));
            assertThat(sees(h)).hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(name, "1.0")));
        }
        assertThat(RolloutOutcome.degraded(bundle(name)).orElseThrow()).contains(canary);
    }

    @Test
    void withOnFailureRollbackEveryHostReturnsToThePreviousVersion() {
        String name = "rollingback";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Rollback));

        box.apply(Bundles.demo(name, "2.0", FailurePolicy.Rollback, true));
        Eventually.await(
                name + " Degraded",
                ROLLOUT,
                () -> RolloutOutcome.degraded(bundle(name)).isPresent(),
                this::diagnostics);
        Eventually.await(
                "every node assigned 1.0 again and proven on it",
                ROLLOUT,
                () -> box.hosts().stream().allMatch(h -> {
                    ConfextNode n = box.client()
                            .resources(ConfextNode.class)
                            .withName(h.name())
                            .get();
                    DesiredBundle d = entry(n, name);
                    BundleState s = state(n, name);
                    return d != null
                            && "1.0".equals(d.getVersion())
                            && s != null
                            && s.getPhase() == BundlePhase.Active
                            && "1.0".equals(s.getActiveVersion());
                }),
                this::diagnostics);
        hostsSee(name, "1.0", box.hosts());
    }

    @Test
    void deletingTheBundleReturnsEveryHostToItsOwnEtc() {
        String name = "deleted";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        box.client().resources(ConfextBundle.class).withName(name).delete();
        Eventually.await("bundle " + name + " gone", ROLLOUT, () -> bundle(name) == null, this::diagnostics);
        for (BoxHost h : box.hosts()) {
            Eventually.await(
                    h.name() + " sees its own /etc/demo/demo.conf",
                    Duration.ofSeconds(60),
                    () -> sees(h).equals(Optional.of(BoxSettings.HOST_OWN_CONFIG)),
                    this::diagnostics);
            assertThat(DemoService.seen(h.host(), BoxSettings.DEMO_UNIT).config())
                    .as("what %s's service last read", h.name())
                    .contains(BoxSettings.HOST_OWN_CONFIG);
        }
    }

    @Test
    void anAgentKilledMidRolloutStillEndsInACompletedRollout() {
        String name = "agentkill";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        box.apply(Bundles.demo(name, "2.0", FailurePolicy.Halt));
        String first = PlannedOrder.of(name, NODES).get(0);
        Eventually.await(
                first + " assigned 2.0",
                ROLLOUT,
                () -> {
                    DesiredBundle d = entry(
                            box.client()
                                    .resources(ConfextNode.class)
                                    .withName(first)
                                    .get(),
                            name);
                    return d != null && "2.0".equals(d.getVersion());
                },
                this::diagnostics);
        BoxHost victim = box.host(first);
        victim.agent().kill();
        Eventually.sleep(2_000);
        victim.agent().start();
        awaitComplete(name, "2.0");
        hostsSee(name, "2.0", box.hosts());
    }

    @Test
    void theOperatorRestartedMidRolloutStillEndsInACompletedRollout() {
        String name = "oprestart";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        box.apply(Bundles.demo(name, "2.0", FailurePolicy.Halt));
        Eventually.await(
                "a first node assigned 2.0",
                ROLLOUT,
                () -> box.client().resources(ConfextNode.class).list().getItems().stream()
                        .anyMatch(n -> entry(n, name) != null
                                && "2.0".equals(entry(n, name).getVersion())),
                this::diagnostics);
        box.restartOperator(true);
        awaitComplete(name, "2.0");
        hostsSee(name, "2.0", box.hosts());
    }

    @Test
    void settingTheVersionBackRollsTheFleetBackAsAMarkedRollbackAndEveryHostSeesTheOldContent() {
        String name = "undoversion";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        rollOut(Bundles.demo(name, "2.0", FailurePolicy.Halt));
        hostsSee(name, "2.0", box.hosts());

        box.apply(
                Bundles.demo(name, "1.0", FailurePolicy.Halt)); // the documented undo: spec.version back, 1.0's content
        awaitComplete(name, "1.0");
        hostsSee(name, "1.0", box.hosts());
        ConfextBundle undone = bundle(name);
        assertThat(undone.getStatus().getFailed())
                .as("no agent refused the way back\n%s", diagnostics())
                .isZero();
        assertThat(undone.getStatus().getHistory().get(0).getVersion()).isEqualTo("1.0");
        assertThat(undone.getStatus().getHistory().get(0).getRollback())
                .as("status history marks the way back")
                .isTrue();
        for (BoxHost h : box.hosts()) {
            BundleState s = state(
                    box.client().resources(ConfextNode.class).withName(h.name()).get(), name);
            assertThat(s.getPhase()).as("%s on 1.0", h.name()).isEqualTo(BundlePhase.Active);
            assertThat(s.getActiveVersion()).isEqualTo("1.0");
        }
    }

    @Test
    void theUndoAnnotationToANamedVersionRestoresItsContentOnEveryHostAndIsConsumed() {
        String name = "undoannotation";
        rollOut(Bundles.demo(name, "1.0", FailurePolicy.Halt));
        rollOut(Bundles.demo(name, "2.0", FailurePolicy.Halt));
        rollOut(Bundles.demo(name, "3.0", FailurePolicy.Halt));
        hostsSee(name, "3.0", box.hosts());

        askUndo(name, "1.0");
        Eventually.await(
                "the undo to 1.0 applied to the spec",
                ROLLOUT,
                () -> "1.0".equals(bundle(name).getSpec().getVersion()),
                this::diagnostics);
        Map<String, String> left = bundle(name).getMetadata().getAnnotations();
        assertThat(left == null ? Map.<String, String>of() : left)
                .as("consumed and cleared")
                .doesNotContainKey("confext.io/undo");
        awaitComplete(name, "1.0");
        hostsSee(name, "1.0", box.hosts());
        ConfextBundle undone = bundle(name);
        assertThat(undone.getStatus().getHistory().get(0).getRollback()).isTrue();

        // undo previous: the newest other version of the history, 3.0
        askUndo(name, "previous");
        Eventually.await(
                "the undo to previous applied",
                ROLLOUT,
                () -> "3.0".equals(bundle(name).getSpec().getVersion()),
                this::diagnostics);
        awaitComplete(name, "3.0");
        hostsSee(name, "3.0", box.hosts());
    }

    // ---- helpers ----

    /** As {@code kubectl annotate cxb NAME confext.io/undo=TO} does. */
    private static void askUndo(String name, String to) {
        box.client().resources(ConfextBundle.class).withName(name).edit(b -> {
            Map<String, String> a = b.getMetadata().getAnnotations() == null
                    ? new HashMap<>()
                    : new HashMap<>(b.getMetadata().getAnnotations());
            a.put("confext.io/undo", to);
            b.getMetadata().setAnnotations(a);
            return b;
        });
    }

    private void rollOut(ConfextBundle b) {
        box.apply(b);
        awaitComplete(b.getMetadata().getName(), b.getSpec().getVersion());
    }

    private void awaitComplete(String name, String version) {
        Eventually.await(
                name + " " + version + " rolled out on all hosts",
                ROLLOUT,
                () -> RolloutOutcome.complete(bundle(name), version, NODES.size()),
                this::diagnostics);
    }

    /** The demo service's main process reads the bundle's version, and sees that file in its mount namespace now. */
    private void hostsSee(String bundle, String version, List<BoxHost> hosts) {
        for (BoxHost h : hosts) {
            DemoSeen seen = DemoService.awaitSeen(
                    h.host(),
                    BoxSettings.DEMO_UNIT,
                    s -> s.config().orElse("").contains(Bundles.marker(bundle, version)),
                    Duration.ofSeconds(30));
            assertThat(seen.config())
                    .as("%s's demo service read", h.name())
                    .hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(bundle, version)));
            assertThat(sees(h))
                    .as("%s's demo service sees now", h.name())
                    .hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(bundle, version)));
        }
    }

    private static Optional<String> sees(BoxHost h) {
        return DemoService.mainPidSees(h.host(), BoxSettings.DEMO_UNIT, "demo/demo.conf");
    }

    private static Map<String, DemoSeen> seenByHost() {
        Map<String, DemoSeen> m = new HashMap<>();
        box.hosts().forEach(h -> m.put(h.name(), DemoService.seen(h.host(), BoxSettings.DEMO_UNIT)));
        return m;
    }

    private static ConfextBundle bundle(String name) {
        return box.client().resources(ConfextBundle.class).withName(name).get();
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
