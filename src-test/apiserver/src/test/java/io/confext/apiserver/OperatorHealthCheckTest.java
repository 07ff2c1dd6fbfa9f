package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.ExecCheck;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.api.v1alpha1.HealthCheck;
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
 * A bundle with health checks of its own (spec.healthChecks) on a real API server, under the chart's RBAC and
 * admission policy: the CRD accepts the checks, the operator freezes them into the revision, and the simulated agents
 * read them back from it. On every node the check named {@code config} fails, so each node that proves the new
 * version reports it RolledBack with reason HealthCheckFailed, as the real agent does inside minReadySeconds (the
 * agent's side runs on real hosts in HealthChecksOnSystemd262Test). The operator then halts the rollout
 * ({@code onFailure: Halt}) or moves the updated nodes back ({@code onFailure: Rollback}).
 */
@RealApiServerTest
class OperatorHealthCheckTest {
    private static final String NS = "health-test";
    private static final String RELEASE = "health-confext-operator";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Map<String, List<String>> POOLS = Map.of(
            "halt", List.of("halt-0", "halt-1", "halt-2"),
            "rollback", List.of("rollback-0", "rollback-1", "rollback-2"));

    private static KubernetesClient operatorClient;
    private static InProcessOperator operator;
    private static final List<SimulatedAgent> agents = new ArrayList<>();

    @BeforeAll
    static void installChartNodesAgentsAndOperator(ApiServer server) {
        ChartInstaller.install(server, RELEASE, NS);
        KubernetesClient admin = server.admin();
        Crds.installAll(admin, RepoFiles.fromBuild().crds());
        POOLS.forEach((pool, names) -> {
            for (String name : names) {
                Node node = admin.resource(new NodeBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(Map.of("confext.io/test-pool", pool))
                                .endMetadata()
                                .build())
                        .create();
                SimulatedAgent agent = SimulatedAgent.startOwning(
                        server.withToken(Tokens.boundToNode(admin, NS, RELEASE + "-agent", node)),
                        name,
                        SimulatedAgent.Behaviour.healthy(200));
                agent.failHealthChecks("config");
                agents.add(agent);
            }
        });
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

    private static BundleFleet fleet(String pool) {
        return new BundleFleet("health-" + pool, POOLS.get(pool), WAIT, agents, () -> operatorClient);
    }

    /** Version 1.0 without checks, complete; then 2.0 with a check {@code config} that fails on every node. */
    private static ConfextBundle bundle(String pool, String version, FailurePolicy onFailure, boolean withCheck) {
        ConfextBundle b = BundleBuilder.bundle("health-" + pool, version)
                .units("demo.service")
                .file("demo.conf", "value=" + version + "\n")
                .nodeSelector(Map.of("confext.io/test-pool", pool))
                .rollout(r -> {
                    r.setMaxUnavailable(new IntOrString(2));
                    r.setMinReadySeconds(15);
                    r.setOnFailure(onFailure);
                })
                .build();
        if (withCheck) {
            HealthCheck c = new HealthCheck();
            c.setName("config");
            ExecCheck e = new ExecCheck();
            e.setCommand(List.of("demo", "--check-config"));
            e.setUnit("demo.service");
            c.setExec(e);
            c.setPeriodSeconds(2);
            c.setFailureThreshold(3);
            b.getSpec().setHealthChecks(List.of(c));
        }
        return b;
    }

    private static void rollOutTwo(KubernetesClient admin, BundleFleet f, String pool, FailurePolicy onFailure) {
        admin.resource(bundle(pool, "1.0", onFailure, false)).create();
        f.await("1.0 on every node", () -> f.on(admin, "1.0"));
        ConfextBundle two = bundle(pool, "2.0", onFailure, true);
        admin.resources(ConfextBundle.class).withName(f.bundle()).edit(b -> {
            b.getSpec().setVersion("2.0");
            b.getSpec().setSource(two.getSpec().getSource());
            b.getSpec().setHealthChecks(two.getSpec().getHealthChecks());
            return b;
        });
    }

    private static List<BundleState> states(KubernetesClient c, BundleFleet f) {
        return f.nodes().stream()
                .map(n -> c.resources(ConfextNode.class).withName(n).get())
                .flatMap(n -> n.getStatus().getBundles().stream())
                .filter(s -> f.bundle().equals(s.getName()))
                .toList();
    }

    private static List<DesiredBundle> entries(KubernetesClient c, BundleFleet f) {
        return f.nodes().stream()
                .map(n -> c.resources(ConfextNode.class).withName(n).get())
                .flatMap(n -> n.getSpec().getBundles().stream())
                .filter(d -> f.bundle().equals(d.getName()))
                .toList();
    }

    @Test
    void aFailingCheckHaltsTheRollout(ApiServer server) {
        KubernetesClient admin = server.admin();
        BundleFleet f = fleet("halt");
        rollOutTwo(admin, f, "halt", FailurePolicy.Halt);
        f.await("halted", () -> "Halted".equals(BundleFleet.reason(f.get(admin), "Progressing")));
        BundleFleet.pause(Duration.ofSeconds(3)); // several reconciles later nothing else moved
        ConfextBundle b = f.get(admin);
        assertThat(b.getStatus().getFailures())
                .as("the failure names the check")
                .isNotEmpty()
                .allSatisfy(x -> {
                    assertThat(x.getReason()).isEqualTo("HealthCheckFailed");
                    assertThat(x.getMessage()).contains("health check config");
                });
        assertThat(BundleFleet.reason(b, "Degraded")).isEqualTo("NodeFailed");
        assertThat(b.getStatus().getCurrentVersion()).as("2.0 never completed").isEqualTo("1.0");
        long onTwo = entries(admin, f).stream()
                .filter(d -> "2.0".equals(d.getVersion()))
                .count();
        assertThat(onTwo).as("only the first wave (maxUnavailable 2) got 2.0").isBetween(1L, 2L);
        assertThat(entries(admin, f).stream().filter(d -> "1.0".equals(d.getVersion())))
                .as("the rest was never moved")
                .hasSize((int) (3 - onTwo));
        assertThat(states(admin, f))
                .as("every node runs 1.0: kept, or fallen back to by its agent")
                .allSatisfy(s -> assertThat(s.getActiveVersion()).isEqualTo("1.0"));
        assertThat(states(admin, f).stream().filter(s -> s.getPhase() == BundlePhase.RolledBack))
                .hasSize((int) onTwo);
    }

    @Test
    void aFailingCheckRollsTheFleetBackWithOnFailureRollback(ApiServer server) {
        KubernetesClient admin = server.admin();
        BundleFleet f = fleet("rollback");
        rollOutTwo(admin, f, "rollback", FailurePolicy.Rollback);
        f.await("rolled back", () -> "RolledBack".equals(BundleFleet.reason(f.get(admin), "Degraded")));
        f.await(
                "every node Active on 1.0 again",
                () -> states(admin, f).size() == 3
                        && states(admin, f).stream()
                                .allMatch(
                                        s -> s.getPhase() == BundlePhase.Active && "1.0".equals(s.getActiveVersion())));
        assertThat(entries(admin, f))
                .as("every entry back on 1.0")
                .allSatisfy(d -> assertThat(d.getVersion()).isEqualTo("1.0"));
        assertThat(entries(admin, f).stream().filter(d -> Boolean.TRUE.equals(d.getRollback())))
                .as("the nodes that had 2.0 went back with the downgrade permit")
                .isNotEmpty();
        assertThat(f.get(admin).getStatus().getCurrentVersion()).isEqualTo("1.0");
    }
}
