package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.operator.OperatorAssembly;
import io.confext.operator.OperatorRuntime;
import io.confext.operator.OperatorSettings;
import io.confext.operator.bundle.BundleReconciler;
import io.confext.operator.node.NodeReconciler;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.SimulatedAgent;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas (two JOSDK operators in this JVM, each with its own client on the chart's
 * operator token, the chart's Lease name and RBAC) on a real API server: one holds the Lease and
 * alone reconciles and writes, the other only watches; when the leader stops, the other takes the
 * Lease over and finishes the rollout. Server-side apply is off here, so this also shows the
 * operator works on a real server in that mode.
 */
@RealApiServerTest
class OperatorLeaderElectionTest {

    private static final String NS = "leader-test";
    private static final String RELEASE = "leader-confext-operator";
    private static final Map<String, String> WORKER = Map.of("confext.io/test-pool", "leader");
    private static final List<String> NODES = List.of("leader-node-0", "leader-node-1");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static String leaseName;
    private static final List<SimulatedAgent> agents = new ArrayList<>();
    private static final List<Replica> replicas = new ArrayList<>();

    /** One operator instance: what it reconciled and what it wrote are counted separately from the other's. */
    record Replica(
            String identity,
            KubernetesClient client,
            Operator operator,
            ReconcileCounter reconciles,
            WriteCounter writes) {
        static Replica start(ApiServer server, String identity) {
            WriteCounter writes = new WriteCounter();
            KubernetesClient client = server.withToken(
                    Tokens.unbound(server.admin(), NS, RELEASE),
                    http -> http.addOrReplaceInterceptor("count-writes", writes));
            ReconcileCounter reconciles = new ReconcileCounter();
            Operator operator = OperatorAssembly.create(
                    client,
                    reconciles,
                    new OperatorRuntime(
                            false,
                            Optional.of(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
                                    .withLeaseNamespace(NS)
                                    .withIdentity(identity)
                                    // short, so the take-over is quick; a test must not exit the JVM when a replica
                                    // stops leading
                                    .withLeaseDuration(Duration.ofSeconds(6))
                                    .withRenewDeadline(Duration.ofSeconds(4))
                                    .withRetryPeriod(Duration.ofSeconds(1))
                                    .withExitOnStopLeading(false)
                                    .build())),
                    List.of(
                            new BundleReconciler(
                                    new OperatorSettings(NS, Duration.ofSeconds(30), "default"),
                                    Clock.systemUTC(),
                                    new SimpleMeterRegistry()),
                            new NodeReconciler()));
            operator.start();
            return new Replica(identity, client, operator, reconciles, writes);
        }

        void stop() {
            operator.stop();
            client.close();
        }
    }

    @BeforeAll
    static void installChartNodesAndAgents(ApiServer server) {
        ChartInstaller.install(server, RELEASE, NS);
        KubernetesClient admin = server.admin();
        Crds.installAll(admin, RepoFiles.fromBuild().crds());
        leaseName = admin
                .apps()
                .deployments()
                .inNamespace(NS)
                .withName(RELEASE)
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv()
                .stream()
                .filter(e -> "CONFEXT_OPERATOR_LEADER_ELECTION_LEASE_NAME".equals(e.getName()))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow();
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
    }

    @AfterAll
    static void stop() {
        replicas.forEach(r -> {
            try {
                r.stop();
            } catch (RuntimeException e) {
                // already stopped by the test
            }
        });
        agents.forEach(SimulatedAgent::close);
    }

    @Test
    void onlyTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItStops(ApiServer server) {
        KubernetesClient admin = server.admin();
        replicas.add(Replica.start(server, "replica-a"));
        replicas.add(Replica.start(server, "replica-b"));

        await("a replica holds the Lease", () -> holder(admin) != null);
        Replica leader = replicas.stream()
                .filter(r -> r.identity().equals(holder(admin)))
                .findFirst()
                .orElseThrow();
        Replica standby = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();

        admin.resource(bundle("leader-chrony", "1")).create();
        await("version 1 on all nodes", () -> fleetOn(admin, "leader-chrony", "1"));
        assertThat(leader.reconciles().of("ConfextBundle"))
                .as("the leader reconciled the bundle")
                .isPositive();
        assertThat(standby.reconciles().total())
                .as("the standby reconciled nothing")
                .isZero();
        assertThat(standby.writes().writes())
                .as("the standby wrote nothing but its Lease attempts")
                .isEmpty();
        assertThat(leader.writes().writes())
                .as("the leader wrote the nodes' desired bundles")
                .anySatisfy(w -> assertThat(w).contains("/confextnodes/"));
        assertThat(admin.resources(ConfextBundle.class)
                        .withName("leader-chrony")
                        .get()
                        .getMetadata()
                        .getManagedFields())
                .as("server-side apply off: the status was patched, not applied")
                .noneSatisfy(f -> assertThat(f.getOperation()).isEqualTo("Apply"))
                .anySatisfy(f -> assertThat(f.getSubresource()).isEqualTo("status"));

        leader.stop();
        BundleEdits.edit(admin, "leader-chrony", b -> {
            b.getSpec().setVersion("2");
            b.getSpec().getSource().getFiles().get(0).setContent("server ntp2 iburst\n");
            return b;
        });
        await("the standby holds the Lease", () -> standby.identity().equals(holder(admin)));
        await("version 2 on all nodes, rolled out by the new leader", () -> fleetOn(admin, "leader-chrony", "2"));
        assertThat(standby.reconciles().of("ConfextBundle"))
                .as("the new leader reconciled the bundle")
                .isPositive();
    }

    private static String holder(KubernetesClient admin) {
        Lease lease = admin.leases().inNamespace(NS).withName(leaseName).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
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

    private static void await(String what, BooleanSupplier condition) {
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
