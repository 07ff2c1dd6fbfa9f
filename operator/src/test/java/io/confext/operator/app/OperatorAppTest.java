package io.confext.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ConfextNode;
import io.confext.operator.bundle.RolloutMetrics;
import io.confext.operator.client.ChaCha20FirstHttpClientFactory;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.metrics.PrometheusText;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The Quarkus application as packaged: CDI wiring, QOSDK start, agent DaemonSet, health and metrics. */
@QuarkusTest
@QuarkusTestResource(MockApiServerResource.class)
class OperatorAppTest {
    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    String http(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** QOSDK and the reconcilers get the client whose TLS offers ChaCha20 first (KubernetesClientBeans). */
    @Test
    void theClientIsBuiltByTheChaCha20FirstFactory() {
        assertThat(client.getHttpClient().newBuilder())
                .asInstanceOf(InstanceOfAssertFactories.type(StandardHttpClientBuilder.class))
                .extracting(StandardHttpClientBuilder::getClientFactory)
                .isInstanceOf(ChaCha20FirstHttpClientFactory.class);
    }

    @Test
    void startsControllersKeepsTheAgentDaemonSetAndServesHealthAndMetrics() throws Exception {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("worker-1")
                        .withUid("w1")
                        .endMetadata()
                        .build())
                .create();
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end
                && (client.resources(ConfextNode.class).withName("worker-1").get() == null
                        || client.apps()
                                        .daemonSets()
                                        .inNamespace("confext-system")
                                        .withName("confext-agent")
                                        .get()
                                == null)) {
            Thread.sleep(100);
        }
        assertThat(client.resources(ConfextNode.class).withName("worker-1").get())
                .as("NodeReconciler made the ConfextNode")
                .isNotNull();
        assertThat(client.apps()
                        .daemonSets()
                        .inNamespace("confext-system")
                        .withName("confext-agent")
                        .get())
                .as("agent DaemonSet created, owned by the operator's Deployment")
                .isNotNull()
                .satisfies(ds -> assertThat(ds.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(o -> assertThat(o.getName()).isEqualTo("confext-operator")));
        assertThat(http("/q/health/ready")).contains("\"status\": \"UP\"");
        String metrics = http("/q/metrics");
        assertThat(metrics)
                .contains("operator_sdk_reconciliations_started_total{")
                .contains("kind=\"Node\"")
                .as(
                        "JOSDK's meters are per controller and kind, not one set per resource (2,000 Nodes made 20,886 meters)")
                .doesNotContain("worker-1");
    }

    @Test
    void servesTheRolloutMetersOfEachBundleAtQMetrics() throws Exception {
        client.resource(BundleBuilder.bundle("app-metrics", "1")
                        .units("chronyd.service")
                        .file("chrony/chrony.conf", "server a\n")
                        .build())
                .create();
        long end = System.currentTimeMillis() + 20_000;
        PrometheusText page = PrometheusText.parse(http("/q/metrics"));
        // the gauges are registered on the bundle's first pass and set right after: wait for the state, not the name
        while (System.currentTimeMillis() < end && page.sum("confext_rollout_state", "bundle", "app-metrics") != 1) {
            Thread.sleep(100);
            page = PrometheusText.parse(http("/q/metrics"));
        }
        assertThat(page.sum("confext_rollout_state", "bundle", "app-metrics"))
                .as("the bundle's rollout is in one state: %s", page.find("confext_rollout_state"))
                .isEqualTo(1);
        assertThat(page.find("confext_rollout_waves_started_total", "bundle", "app-metrics"))
                .singleElement();
        assertThat(page.find("confext_rollout_targeted_nodes", "bundle", "app-metrics"))
                .singleElement();
        assertThat(page.find("confext_bundle_nodes", "bundle", "app-metrics"))
                .hasSize(RolloutMetrics.Phase.values().length);
    }
}
