package io.confext.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.box.BoxSettings;
import io.confext.box.NodesBox;
import io.confext.box.RolloutOutcome;
import io.confext.testbed.DemoSeen;
import io.confext.testbed.DemoService;
import io.confext.testbed.ExecResult;
import io.confext.testbed.Prerequisites;
import io.confext.testbed.kube.KubeletNode;
import io.confext.testsupport.tier.E2eTest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product the way it ships, on real nodes: kubelets in booted systemd 262 hosts, the real scheduler,
 * DaemonSet controller and garbage collector, the built images, and {@code helm install} of the chart as it is
 * ({@link NodesBox}). One cluster for the class (starting it is the expensive part); the tests run in order, each
 * leaving the cluster as the next expects, and the last one uninstalls. Outcomes are checked on the hosts
 * themselves (what the demo service's main process sees), not only in the status.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@E2eTest
class RealNodesE2ETest {

    static final int NODES = 3;
    static final Duration ROLLOUT = Duration.ofMinutes(4);
    static final String BUNDLE = "fleet";

    static NodesBox box;
    /** Every (node, bundle, version, phase) any agent reported while the tests watched. */
    static final Set<String> phasesSeen = new LinkedHashSet<>();

    @BeforeAll
    static void startCluster() {
        Optional<String> capability = Prerequisites.missingCapability();
        Assumptions.assumeTrue(
                capability.isEmpty(),
                () -> "skipped: this machine cannot boot systemd hosts: " + capability.orElse(""));
        Path root = BoxAssumptions.repoRootOrSkip();
        // caches and images are made by the test command: their absence is a failure, not a skip
        NodesBox.cannotRun(root).ifPresent(why -> fail("the real-nodes tier cannot start: " + why));
        box = NodesBox.start(root, NODES, System.out);
    }

    @AfterAll
    static void stopCluster() {
        if (box != null) {
            box.close();
        }
    }

    @Test
    @Order(1)
    void theAgentsAreDaemonSetPodsThatReachTheirHostsSystemdAsPid1WithTheirOwnServiceAccount() {
        DaemonSet ds = box.client()
                .apps()
                .daemonSets()
                .inNamespace(NodesBox.NAMESPACE)
                .withName(NodesBox.AGENT_DAEMONSET)
                .get();
        assertThat(ds).as("the operator made the agent DaemonSet").isNotNull();
        assertThat(ds.getStatus().getNumberReady()).as("agents ready").isEqualTo(NODES);
        for (KubeletNode n : box.nodes()) {
            Pod agent = box.agentPod(n.name()).orElseThrow();
            assertThat(agent.getMetadata().getOwnerReferences())
                    .as("made by the DaemonSet controller")
                    .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("DaemonSet"));
            assertThat(agent.getSpec().getServiceAccountName()).isEqualTo(NodesBox.RELEASE + "-agent");
            ExecResult comm = box.kubectl(
                    "exec", "-n", NodesBox.NAMESPACE, agent.getMetadata().getName(), "--", "cat", "/proc/1/comm");
            assertThat(comm.ok())
                    .as("kubectl exec into %s: %s", agent.getMetadata().getName(), comm.stderr())
                    .isTrue();
            assertThat(comm.stdout().strip())
                    .as("PID 1 as the agent on %s sees it", n.name())
                    .isEqualTo("systemd");
            ConfextNode cxn =
                    box.client().resources(ConfextNode.class).withName(n.name()).get();
            assertThat(cxn.getStatus().getHost().getSystemdVersion())
                    .as("systemd the agent of %s found", n.name())
                    .isEqualTo(n.host().systemdVersion());
            assertThat(cxn.getStatus().getHost().getRefreshOnReload()).isTrue();
            // the agent's credentials are its pod's projected ServiceAccount token, and nothing else
            ExecResult creds = box.kubectl(
                    "exec",
                    "-n",
                    NodesBox.NAMESPACE,
                    agent.getMetadata().getName(),
                    "--",
                    "sh",
                    "-c",
                    "ls /var/run/secrets/kubernetes.io/serviceaccount; env | grep -c '^KUBECONFIG=' || true");
            assertThat(creds.stdout()).contains("token").contains("ca.crt");
            assertThat(creds.stdout().strip()).endsWith("0");
        }
        for (Pod op : box.operatorPods()) {
            assertThat(op.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
            ExecResult id = box.kubectl(
                    "exec", "-n", NodesBox.NAMESPACE, op.getMetadata().getName(), "--", "id", "-u");
            assertThat(id.stdout().strip())
                    .as("the operator's user id in its pod")
                    .isEqualTo("185");
        }
    }

    @Test
    @Order(2)
    void aBundleAppliedWithKubectlRollsOutInWavesAndIsProvenOnEveryNode() {
        box.kubectlApply(Serialization.asYaml(Bundles.demo(BUNDLE, "1.0", FailurePolicy.Halt)));
        List<String> order = new ArrayList<>();
        int maxInFlight = watchUntilComplete("1.0", order, () -> {});
        assertThat(maxInFlight)
                .as("nodes assigned 1.0 and not yet proven at any one time")
                .isEqualTo(1);
        assertThat(order)
                .as("the order the operator moved nodes to 1.0")
                .isEqualTo(PlannedOrder.of(
                        BUNDLE, box.nodes().stream().map(KubeletNode::name).toList()));
        hostsSee("1.0");
    }

    @Test
    @Order(3)
    void aHelmUpgradeOfTheAgentImageMidRolloutRestartsTheAgentsAndLosesNoGoodVersion() {
        Map<String, String> before = box.agentImages();
        assertThat(before.values())
                .allSatisfy(i -> assertThat(i).isEqualTo(box.images().agentImage()));
        ConfextBundle v2 = Bundles.demo(BUNDLE, "2.0", FailurePolicy.Rollback);
        v2.getSpec().getRollout().setMinReadySeconds(5); // a wave long enough to be interrupted
        box.kubectlApply(Serialization.asYaml(v2));
        boolean[] upgraded = {false};
        watchUntilComplete("2.0", new ArrayList<>(), () -> {
            if (!upgraded[0] && assignedCount("2.0") >= 1) {
                box.helmUpgrade("agent.image.tag=" + box.images().version() + NodesBox.AGENT_UPGRADE_TAG_SUFFIX);
                upgraded[0] = true;
            }
        });
        assertThat(upgraded[0])
                .as("the upgrade happened while 2.0 was rolling out")
                .isTrue();
        Eventually.await(
                "every agent runs the upgraded image",
                ROLLOUT,
                () -> box.agentImages().size() == NODES
                        && box.agentImages().values().stream()
                                .allMatch(i -> i.endsWith(NodesBox.AGENT_UPGRADE_TAG_SUFFIX)),
                box::diagnostics);
        box.awaitAgentsReady(ROLLOUT);
        assertNothingFailedOrQuarantined();
        hostsSee("2.0");
    }

    @Test
    @Order(4)
    void theOperatorPodDeletedMidWaveIsReplacedAndTheReplacementFinishesTheWave() {
        ConfextBundle v3 = Bundles.demo(BUNDLE, "3.0", FailurePolicy.Halt);
        v3.getSpec().getRollout().setMinReadySeconds(5);
        box.kubectlApply(Serialization.asYaml(v3));
        String[] deleted = {null};
        watchUntilComplete("3.0", new ArrayList<>(), () -> {
            if (deleted[0] == null && assignedCount("3.0") >= 1) {
                Pod op = box.operatorPods().get(0);
                deleted[0] = op.getMetadata().getName();
                box.client()
                        .pods()
                        .inNamespace(NodesBox.NAMESPACE)
                        .withName(deleted[0])
                        .delete();
                System.out.println("[test] deleted the operator pod " + deleted[0] + " mid-wave");
            }
        });
        assertThat(deleted[0]).isNotNull();
        assertThat(box.operatorPods())
                .as("a new operator pod")
                .noneMatch(p -> p.getMetadata().getName().equals(deleted[0]));
        assertNothingFailedOrQuarantined();
        hostsSee("3.0");
    }

    @Test
    @Order(5)
    void faultsAreNamedWithWhatToDoAndNoHostLosesItsVersion() throws Exception {
        KubeletNode first = box.nodes().get(0);
        // a corrupt image archive: containerd refuses it, the message names the file and says to rebuild it
        Path corrupt = Files.createTempFile("corrupt-", ".oci.tar");
        // not zeros: a tar of zeros is a valid empty archive
        Files.writeString(corrupt, "this is not an image archive\n".repeat(200));
        assertThatThrownBy(() -> first.importImage(corrupt))
                .hasMessageContaining("refused the image archive " + corrupt)
                .hasMessageContaining("rebuild it");
        Files.delete(corrupt);
        assertThatThrownBy(() -> first.importImage(corrupt)).hasMessageContaining("is missing: build the images first");

        // a kubelet down: waiting for the nodes names the node and shows its kubelet's journal
        KubeletNode second = box.nodes().get(1);
        second.stopKubelet();
        Eventually.await(
                second.name() + " NotReady after its kubelet stopped",
                Duration.ofMinutes(2),
                () -> !box.kubectl(
                                "get",
                                "node",
                                second.name(),
                                "-o",
                                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                        .stdout()
                        .strip()
                        .equals("True"),
                box::diagnostics);
        assertThatThrownBy(() -> box.cluster().awaitNodesReady(Duration.ofSeconds(3)))
                .hasMessageContaining(second.name() + "=Unknown")
                .hasMessageContaining("journal of kubelet.service on " + second.name());
        second.startKubelet();
        box.cluster().awaitNodesReady(ROLLOUT);

        // agents crash-looping (a JVM flag that does not exist): the wait says so, with their logs; hosts keep 3.0
        box.helmUpgrade(
                "agent.image.tag=" + box.images().version() + NodesBox.AGENT_UPGRADE_TAG_SUFFIX,
                "agent.extraEnv[0].name=JAVA_OPTS_APPEND",
                "agent.extraEnv[0].value=-XX:+NoSuchFlagForTheTest");
        // the operator restarts with the new settings, then updates the DaemonSet, which replaces one agent
        Eventually.await(
                "an agent with the broken flag restarted",
                ROLLOUT,
                () -> box
                        .client()
                        .pods()
                        .inNamespace(NodesBox.NAMESPACE)
                        .withLabel("app.kubernetes.io/component", "agent")
                        .list()
                        .getItems()
                        .stream()
                        .anyMatch(p -> p.getSpec().getContainers().get(0).getEnv().stream()
                                        .anyMatch(e -> "JAVA_OPTS_APPEND".equals(e.getName()))
                                && p.getStatus().getContainerStatuses() != null
                                && p.getStatus().getContainerStatuses().stream()
                                        .anyMatch(cs -> cs.getRestartCount() > 0)),
                box::diagnostics);
        assertThatThrownBy(() -> box.awaitAgentsReady(Duration.ofSeconds(5)))
                .hasMessageContaining("agent pod")
                .hasMessageContaining("restarts")
                .hasMessageContaining("NoSuchFlagForTheTest");
        hostsSee("3.0");
        box.helmUpgrade("agent.image.tag=" + box.images().version() + NodesBox.AGENT_UPGRADE_TAG_SUFFIX);
        box.awaitAgentsReady(ROLLOUT);
        assertNothingFailedOrQuarantined();
        hostsSee("3.0");
    }

    @Test
    @Order(6)
    void aDeletedNodeLosesItsConfextNodeToTheGarbageCollectorAndGetsItBackWhenItRegistersAgain() {
        KubeletNode last = box.nodes().get(NODES - 1);
        String uid = box.client()
                .resources(ConfextNode.class)
                .withName(last.name())
                .get()
                .getMetadata()
                .getUid();
        box.client().nodes().withName(last.name()).delete();
        Eventually.await(
                "the garbage collector removed ConfextNode " + last.name() + " (owned by its Node)",
                Duration.ofMinutes(2),
                () -> box.client()
                                .resources(ConfextNode.class)
                                .withName(last.name())
                                .get()
                        == null,
                box::diagnostics);
        // a kubelet registers its Node again only when it starts
        last.host().execOk("systemctl", "restart", "kubelet.service");
        Eventually.await(
                "node " + last.name() + " registered again and got a new ConfextNode",
                ROLLOUT,
                () -> {
                    ConfextNode cxn = box.client()
                            .resources(ConfextNode.class)
                            .withName(last.name())
                            .get();
                    return cxn != null && !cxn.getMetadata().getUid().equals(uid);
                },
                box::diagnostics);
        box.cluster().awaitNodesReady(ROLLOUT);
        box.awaitAgentsReady(ROLLOUT);
        Eventually.await(
                "the re-registered node is back on 3.0",
                ROLLOUT,
                () -> RolloutOutcome.complete(bundle(), "3.0", NODES),
                box::diagnostics);
        hostsSee("3.0");
    }

    @Test
    @Order(7)
    void bundlesDeletedThenHelmUninstallLeaveEveryHostOnItsOwnEtc() {
        ExecResult del = box.kubectl("delete", "confextbundle", BUNDLE, "--wait=true", "--timeout=180s");
        assertThat(del.ok()).as("kubectl delete: %s", del.stderr()).isTrue();
        for (KubeletNode n : box.nodes()) {
            Eventually.await(
                    n.name() + "'s demo service sees the host's own /etc again",
                    ROLLOUT,
                    () -> sees(n).equals(Optional.of(BoxSettings.HOST_OWN_CONFIG)),
                    box::diagnostics);
            assertThat(n.host()
                            .hostPath("/etc/systemd/system/" + BoxSettings.DEMO_UNIT + ".d/50-confext-operator.conf"))
                    .as("the agent's drop-in on %s", n.name())
                    .doesNotExist();
        }
        box.helmUninstall();
        Eventually.await(
                "the operator and agent pods are gone",
                ROLLOUT,
                () -> box.client()
                        .pods()
                        .inNamespace(NodesBox.NAMESPACE)
                        .list()
                        .getItems()
                        .isEmpty(),
                box::diagnostics);
        for (KubeletNode n : box.nodes()) {
            assertThat(sees(n)).as("%s after helm uninstall", n.name()).contains(BoxSettings.HOST_OWN_CONFIG);
            assertThat(n.host()
                            .exec("systemctl", "is-active", BoxSettings.DEMO_UNIT)
                            .stdout()
                            .strip())
                    .isEqualTo("active");
        }
        // what stays, as docs/helm.md says: the CRDs (Helm never deletes them) and the ConfextNodes, owned by Nodes
        assertThat(box.client()
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("confextbundles.confext.io")
                        .get())
                .isNotNull();
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Polls until {@code version} is complete on every node, recording the order nodes were assigned it and every
     * phase reported, running {@code during} on each round; returns how many nodes were at most in flight at once.
     */
    private int watchUntilComplete(String version, List<String> order, Runnable during) {
        long deadline = System.nanoTime() + ROLLOUT.toNanos();
        int maxInFlight = 0;
        while (!RolloutOutcome.complete(bundle(), version, NODES)) {
            if (System.nanoTime() > deadline) {
                fail("rollout of " + version + " not complete within " + ROLLOUT + "\n" + box.diagnostics());
            }
            RolloutOutcome.degraded(bundle())
                    .ifPresent(why -> fail("the bundle went Degraded: " + why + "\n" + box.diagnostics()));
            int inFlight = 0;
            for (ConfextNode n :
                    box.client().resources(ConfextNode.class).list().getItems()) {
                DesiredBundle d = entry(n);
                BundleState s = state(n);
                if (s != null) {
                    phasesSeen.add(n.getMetadata().getName() + " " + s.getPhase() + " " + s.getActiveVersion());
                }
                if (d != null && version.equals(d.getVersion())) {
                    if (!order.contains(n.getMetadata().getName())) {
                        order.add(n.getMetadata().getName());
                    }
                    if (s == null || s.getPhase() != BundlePhase.Active || !version.equals(s.getActiveVersion())) {
                        inFlight++;
                    }
                }
            }
            maxInFlight = Math.max(maxInFlight, inFlight);
            during.run();
            Eventually.sleep(200);
        }
        return maxInFlight;
    }

    private int assignedCount(String version) {
        return (int) box.client().resources(ConfextNode.class).list().getItems().stream()
                .map(RealNodesE2ETest::entry)
                .filter(d -> d != null && version.equals(d.getVersion()))
                .count();
    }

    /** No agent reported Failed or RolledBack for the bundle, and no host has anything in quarantine. */
    private void assertNothingFailedOrQuarantined() {
        assertThat(phasesSeen)
                .as("phases the agents reported")
                .noneMatch(p -> p.contains(" Failed ") || p.contains(" RolledBack "));
        for (KubeletNode n : box.nodes()) {
            Path quarantine = n.host().hostPath("/var/lib/confext-operator/quarantine");
            try (Stream<Path> q = Files.isDirectory(quarantine) ? Files.list(quarantine) : Stream.empty()) {
                assertThat(q.toList()).as("quarantine on %s", n.name()).isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private void hostsSee(String version) {
        for (KubeletNode n : box.nodes()) {
            assertThat(sees(n))
                    .as("what demo.service on %s read last", n.name())
                    .hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(BUNDLE, version)));
            assertThat(DemoService.mainPidSees(n.host(), BoxSettings.DEMO_UNIT, "demo/demo.conf"))
                    .as("/etc/demo/demo.conf as demo.service's main process on %s sees it", n.name())
                    .hasValueSatisfying(c -> assertThat(c).contains(Bundles.marker(BUNDLE, version)));
        }
    }

    private static Optional<String> sees(KubeletNode n) {
        DemoSeen seen = DemoService.seen(n.host(), BoxSettings.DEMO_UNIT);
        return seen.config();
    }

    private static ConfextBundle bundle() {
        return box.client().resources(ConfextBundle.class).withName(BUNDLE).get();
    }

    private static DesiredBundle entry(ConfextNode n) {
        return n.getSpec() == null || n.getSpec().getBundles() == null
                ? null
                : n.getSpec().getBundles().stream()
                        .filter(b -> BUNDLE.equals(b.getName()))
                        .findFirst()
                        .orElse(null);
    }

    private static BundleState state(ConfextNode n) {
        return n.getStatus() == null || n.getStatus().getBundles() == null
                ? null
                : n.getStatus().getBundles().stream()
                        .filter(b -> BUNDLE.equals(b.getName()))
                        .findFirst()
                        .orElse(null);
    }
}
