package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.Canary;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.SimulatedAgent;
import io.confext.testsupport.metrics.PrometheusText;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's rollout meters after real rollouts: the reconcilers on a real API server with the chart's operator
 * RBAC, simulated agents with node-bound tokens, and the Prometheus registry whose page the packaged operator serves at
 * /q/metrics ({@code OperatorAppTest} checks that endpoint). A version goes out one node per wave and completes; the
 * next fails on its first node and is rolled back. The page is scraped and parsed; the numbers are asserted.
 */
@RealApiServerTest
class OperatorMetricsTest {

    private static final String NS = "metrics-test";
    private static final String RELEASE = "metrics-confext-operator";
    private static final String BUNDLE = "metrics-chrony";
    private static final Map<String, String> WORKER = Map.of("confext.io/test-pool", "metrics");
    private static final List<String> NODES = List.of("metrics-node-0", "metrics-node-1", "metrics-node-2");
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static KubernetesClient operatorClient;
    private static InProcessOperator operator;
    private static final List<SimulatedAgent> agents = new ArrayList<>();

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
                            .endMetadata()
                            .build())
                    .create();
            agents.add(SimulatedAgent.startOwning(
                    server.withToken(Tokens.boundToNode(admin, NS, RELEASE + "-agent", node)),
                    name,
                    SimulatedAgent.Behaviour.healthy(100)));
        }
        operator = InProcessOperator.start(server, NS, RELEASE, registry);
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
    void wavesProgressAndARollbackAreOnTheScrapedPage(ApiServer server) {
        KubernetesClient admin = server.admin();
        admin.resource(BundleBuilder.bundle(BUNDLE, "1")
                        .units("chronyd.service")
                        .file("chrony/chrony.conf", "server ntp1 iburst\n")
                        .nodeSelector(WORKER)
                        .rollout(r -> {
                            r.setMaxUnavailable(new IntOrString(1));
                            Canary none = new Canary();
                            none.setCount(0);
                            r.setCanary(none);
                            r.setOnFailure(FailurePolicy.Rollback);
                        })
                        .build())
                .create();

        PrometheusText done = await(
                "version 1 complete",
                p -> p.sum("confext_rollout_completions_total", "bundle", BUNDLE) == 1
                        && p.sum("confext_rollout_state", "bundle", BUNDLE, "state", "COMPLETE") == 1
                        && p.sum("confext_bundle_nodes", "bundle", BUNDLE, "phase", "ACTIVE") == 3);
        assertThat(done.value("confext_rollout_targeted_nodes", "bundle", BUNDLE))
                .isEqualTo(3);
        assertThat(done.value("confext_rollout_updated_nodes", "bundle", BUNDLE))
                .isEqualTo(3);
        assertThat(done.value("confext_rollout_ready_nodes", "bundle", BUNDLE)).isEqualTo(3);
        assertThat(done.value("confext_rollout_wave_nodes_total", "bundle", BUNDLE))
                .as("each node moved once")
                .isEqualTo(3);
        assertThat(done.value("confext_rollout_waves_started_total", "bundle", BUNDLE))
                .as("maxUnavailable 1: one node per wave")
                .isEqualTo(3);
        assertThat(done.value("confext_bundle_nodes", "bundle", BUNDLE, "phase", "ACTIVE"))
                .isEqualTo(3);
        assertThat(done.value("confext_rollout_rollbacks_total", "bundle", BUNDLE))
                .isZero();
        assertThat(done.value("confext_rollout_halts_total", "bundle", BUNDLE)).isZero();

        // version 2 fails on every node: the first wave's node fails, the rollout rolls back (onFailure Rollback)
        agents.forEach(a -> a.behave(SimulatedAgent.Behaviour.failing(100, "2")));
        BundleEdits.edit(admin, BUNDLE, b -> {
            b.getSpec().setVersion("2");
            b.getSpec().getSource().getFiles().get(0).setContent("server ntp2 iburst\n");
            return b;
        });
        PrometheusText back = await(
                "version 2 rolled back",
                p -> p.sum("confext_rollout_state", "bundle", BUNDLE, "state", "ROLLED_BACK") == 1);
        assertThat(back.value("confext_rollout_rollbacks_total", "bundle", BUNDLE))
                .as("one rollback, counted when it started")
                .isEqualTo(1);
        assertThat(back.value("confext_rollout_waves_started_total", "bundle", BUNDLE))
                .as("the failed version's one wave")
                .isEqualTo(4);
        assertThat(back.value("confext_rollout_completions_total", "bundle", BUNDLE))
                .isEqualTo(1);
        assertThat(back.value("confext_rollout_halts_total", "bundle", BUNDLE)).isZero();
        assertThat(back.sum("confext_rollout_state", "bundle", BUNDLE))
                .as("one state at a time")
                .isEqualTo(1);
    }

    private static PrometheusText await(String what, Predicate<PrometheusText> condition) {
        Instant deadline = Instant.now().plus(WAIT);
        PrometheusText last = PrometheusText.parse(registry.scrape());
        while (Instant.now().isBefore(deadline)) {
            last = PrometheusText.parse(registry.scrape());
            if (condition.test(last)) {
                return last;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what + "; the page's confext samples: "
                + last.samples().stream()
                        .filter(s -> s.name().startsWith("confext_"))
                        .toList());
    }
}
