package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.SimulatedAgent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A mixed fleet on a real API server: two systemd 262 hosts and one 257 host (as their agents report
 * in ConfextNode status.host, read through the operator's trimmed informer cache) and a reload:
 * Reload bundle. The 257 node is NotEligible with the reason, counted in the status, and the wave
 * completes on the 262 nodes; with only the 257 node selected, the bundle says NoEligibleNodes; with
 * reload: ReloadOrRestart the 257 node is included.
 */
@RealApiServerTest
class OperatorMixedFleetTest {

    private static final String NS = "mixed-test";
    private static final String RELEASE = "mixed-confext-operator";
    private static final String BUNDLE = "mixed-demo";
    private static final Map<String, String> WORKER = Map.of("confext.io/test-pool", "mixed");
    private static final List<String> NODES = List.of("mixed-262-0", "mixed-262-1", "mixed-257-0");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static KubernetesClient operatorClient;
    private static InProcessOperator operator;
    private static final List<SimulatedAgent> agents = new ArrayList<>();
    private static final BundleFleet FLEET = new BundleFleet(BUNDLE, NODES, WAIT, agents, () -> operatorClient);

    @BeforeAll
    static void installChartNodesAgentsAndOperator(ApiServer server) {
        ChartInstaller.install(server, RELEASE, NS);
        KubernetesClient admin = server.admin();
        Crds.installAll(admin, RepoFiles.fromBuild().crds());
        for (String name : NODES) {
            Node node = admin.resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withLabels(WORKER)
                            .addToLabels("confext.io/test-systemd", name.contains("257") ? "257" : "262")
                            .endMetadata()
                            .build())
                    .create();
            SimulatedAgent agent = SimulatedAgent.startOwning(
                    server.withToken(Tokens.boundToNode(admin, NS, RELEASE + "-agent", node)),
                    name,
                    SimulatedAgent.Behaviour.immediate());
            agent.reportHost(facts(name.contains("257") ? 257 : 262));
            agents.add(agent);
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

    static HostFacts facts(int systemd) {
        HostFacts h = new HostFacts();
        h.setSystemdVersion(systemd);
        h.setConfext(true);
        h.setRefreshOnReload(systemd >= 258);
        h.setArchitecture("x86-64");
        return h;
    }

    @Test
    void theOldHostIsNotEligibleAndTheWaveCompletesOnTheOthers(ApiServer server) {
        KubernetesClient admin = server.admin();
        // wait until every agent reported its host facts, as real agents do before any bundle
        FLEET.await(
                "host facts reported",
                () -> NODES.stream().allMatch(n -> {
                    ConfextNode c =
                            admin.resources(ConfextNode.class).withName(n).get();
                    return c != null && c.getStatus() != null && c.getStatus().getHost() != null;
                }));
        admin.resource(BundleBuilder.bundle(BUNDLE, "1.0")
                        .units("demo.service")
                        .file("demo.conf", "value=1\n")
                        .nodeSelector(WORKER)
                        .reload(ReloadMode.Reload)
                        .rollout(r -> r.setMaxUnavailable(new IntOrString(1)))
                        .build())
                .create();
        FLEET.await("1.0 complete on the 262 nodes", () -> {
            ConfextBundle b = FLEET.get(admin);
            return b != null
                    && b.getStatus() != null
                    && "1.0".equals(b.getStatus().getCurrentVersion());
        });
        ConfextBundle b = FLEET.get(admin);
        assertThat(b.getStatus().getTargeted())
                .as("the 257 node is not targeted")
                .isEqualTo(2);
        assertThat(b.getStatus().getReady()).isEqualTo(2);
        assertThat(b.getStatus().getFailed()).isZero();
        assertThat(b.getStatus().getNotEligible()).isEqualTo(1);
        assertThat(b.getStatus().getNotEligibleNodes()).singleElement().satisfies(n -> {
            assertThat(n.getNode()).isEqualTo("mixed-257-0");
            assertThat(n.getReason()).isEqualTo("ReloadRefreshUnsupported");
            assertThat(n.getMessage()).contains("257", "ReloadOrRestart");
        });
        assertThat(BundleFleet.reason(b, "Degraded")).isEqualTo("AsExpected");
        ConfextNode old =
                admin.resources(ConfextNode.class).withName("mixed-257-0").get();
        assertThat(
                        old.getSpec().getBundles() == null
                                ? List.<DesiredBundle>of()
                                : old.getSpec().getBundles())
                .as("the 257 node got nothing")
                .noneMatch(d -> BUNDLE.equals(d.getName()));

        // only the 257 node selected: nothing can run it
        admin.resource(BundleBuilder.bundle("mixed-only-old", "1.0")
                        .units("demo.service")
                        .file("demo.conf", "value=1\n")
                        .nodeSelector(Map.of("confext.io/test-systemd", "257"))
                        .reload(ReloadMode.Reload)
                        .build())
                .create();
        FLEET.await(
                "NoEligibleNodes",
                () -> "NoEligibleNodes"
                        .equals(BundleFleet.reason(
                                admin.resources(ConfextBundle.class)
                                        .withName("mixed-only-old")
                                        .get(),
                                "Degraded")));
        ConfextBundle none =
                admin.resources(ConfextBundle.class).withName("mixed-only-old").get();
        assertThat(BundleFleet.reason(none, "Progressing")).isEqualTo("NoEligibleNodes");
        assertThat(none.getStatus().getCurrentVersion()).as("not complete").isNull();

        // ReloadOrRestart: the 257 node can run it (by restart) and is included
        BundleEdits.edit(admin, BUNDLE, x -> {
            x.getSpec().setReload(ReloadMode.ReloadOrRestart);
            x.getSpec().setVersion("2.0");
            x.getSpec().getSource().getFiles().get(0).setContent("value=2\n");
            return x;
        });
        FLEET.await("2.0 on all three nodes", () -> FLEET.on(admin, "2.0"));
        assertThat(FLEET.get(admin).getStatus().getNotEligible()).isNull();
        assertThat(FLEET.get(admin).getStatus().getTargeted()).isEqualTo(3);
    }
}
