package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.SimulatedAgent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's reconcilers on a real API server, with server-side apply on (JOSDK's default) and
 * with nothing but the chart's operator ServiceAccount token and RBAC, complete rollouts of two
 * versions; the nodes are played by simulated agents, each with a token bound to its own Node
 * under the chart's agent RBAC and admission policy. So the chart's permissions are enough for
 * both sides, and the operator's writes pass the real server's validation.
 */
@RealApiServerTest
class OperatorRolloutTest {

    private static final String NS = "rollout-test";
    private static final String RELEASE = "rollout-confext-operator";
    private static final Map<String, String> WORKER = Map.of("confext.io/test-pool", "rollout");
    private static final List<String> NODES = List.of("rollout-node-0", "rollout-node-1", "rollout-node-2");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static KubernetesClient operatorClient;
    private static InProcessOperator operator;
    private static final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeAll
    static void installChartNodesAgentsAndOperator(ApiServer server) {
        ChartInstaller.install(server, RELEASE, NS);
        KubernetesClient admin = server.admin();
        // A CRD just created by helm answers 429 "storage is (re)initializing" for a moment.
        Crds.installAll(admin, RepoFiles.fromBuild().crds());
        for (String name : NODES) {
            Node node = admin.resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withLabels(WORKER)
                            .endMetadata()
                            .build())
                    .create();
            agents.add(SimulatedAgent.startOwning(
                    server.withToken(Tokens.boundToNode(admin, NS, RELEASE + "-agent", node)),
                    name,
                    SimulatedAgent.Behaviour.immediate()));
        }
        operator = InProcessOperator.start(server, NS, RELEASE);
        operatorClient = operator.client();
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        agents.forEach(SimulatedAgent::close);
    }

    @Test
    void rollsOutTwoVersionsWithTheChartsPermissions(ApiServer server) {
        KubernetesClient admin = server.admin();
        admin.resource(bundle("rollout-chrony", "1")).create();
        await("version 1 on all nodes", () -> fleetOn(admin, "rollout-chrony", "1"));

        BundleEdits.edit(admin, "rollout-chrony", b -> {
            b.getSpec().setVersion("2");
            b.getSpec().getSource().getFiles().get(0).setContent("server ntp2 iburst\n");
            return b;
        });
        await("version 2 on all nodes", () -> fleetOn(admin, "rollout-chrony", "2"));

        ConfextBundle done =
                admin.resources(ConfextBundle.class).withName("rollout-chrony").get();
        assertThat(done.getStatus().getTargeted()).isEqualTo(NODES.size());
        assertThat(admin.apps()
                        .controllerRevisions()
                        .inNamespace(NS)
                        .withLabel("confext.io/bundle", "rollout-chrony")
                        .list()
                        .getItems())
                .as("one frozen revision per version, in the operator's namespace")
                .hasSizeGreaterThanOrEqualTo(2);
        // JOSDK patches the bundle's finalizer and status with server-side apply, under the controller's name.
        assertThat(done.getMetadata().getManagedFields())
                .as("server-side apply of the bundle status by the operator")
                .anySatisfy(f -> {
                    assertThat(f.getOperation()).isEqualTo("Apply");
                    assertThat(f.getSubresource()).isEqualTo("status");
                });
    }

    private static boolean fleetOn(KubernetesClient admin, String bundle, String version) {
        ConfextBundle b = admin.resources(ConfextBundle.class).withName(bundle).get();
        if (b == null || b.getStatus() == null || !version.equals(b.getStatus().getCurrentVersion())) {
            return false;
        }
        long active = NODES.stream()
                .map(n -> admin.resources(ConfextNode.class).withName(n).get())
                .filter(n -> n != null && n.getStatus() != null && n.getStatus().getBundles() != null)
                .filter(n -> n.getStatus().getBundles().stream()
                        .anyMatch(s -> bundle.equals(s.getName())
                                && s.getPhase() == BundlePhase.Active
                                && version.equals(s.getActiveVersion())))
                .count();
        return active == NODES.size();
    }

    private static ConfextBundle bundle(String name, String version) {
        return BundleBuilder.bundle(name, version)
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server ntp" + version + " iburst\n")
                .nodeSelector(WORKER)
                .rollout(r -> r.setMaxUnavailable(new IntOrString(1)))
                .build();
    }

    private void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        StringBuilder why = new StringBuilder("timed out after " + WAIT + " waiting for " + what);
        agents.stream()
                .filter(a -> a.lastError() != null)
                .forEach(a -> why.append("\nagent error: ").append(a.lastError().getMessage()));
        throw new AssertionError(why);
    }
}
