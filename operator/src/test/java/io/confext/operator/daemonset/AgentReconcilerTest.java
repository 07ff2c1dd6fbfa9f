package io.confext.operator.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.operator.OperatorAssembly;
import io.confext.operator.OperatorRuntime;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent DaemonSet as a dependent of the operator's Deployment, on fabric8's mock API server
 * with server-side apply off (the mode the mock server needs): created owned by the Deployment,
 * repaired after an edit or a deletion, and left alone when nothing changed.
 */
@EnableKubernetesMockClient(crud = true)
class AgentReconcilerTest {
    static final String NS = "confext-system";
    KubernetesClient client;
    Operator operator;

    @AfterEach
    void stop() {
        if (operator != null) {
            operator.stop();
        }
    }

    void start(String image) {
        operator = OperatorAssembly.create(
                client,
                Metrics.NOOP,
                new OperatorRuntime(false, Optional.empty()),
                List.of(new AgentReconciler(AgentDaemonSetTest.settings(image, Optional.empty()), "confext-operator")));
        operator.start();
    }

    DaemonSet stored() {
        return client.apps()
                .daemonSets()
                .inNamespace(NS)
                .withName("confext-agent")
                .get();
    }

    @Test
    void createsOwnedRepairsDriftAndLeavesAnUntouchedDaemonSetAlone() throws Exception {
        Deployment self = client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("confext-operator")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .endSpec()
                        .build())
                .create();
        client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("someone-else")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .endSpec()
                        .build())
                .create();
        start("agent:1");

        DaemonSet created = await("DaemonSet created and its stored spec recorded", () -> {
            DaemonSet ds = stored();
            return ds != null && ds.getMetadata().getAnnotations().containsKey(AgentDaemonSet.STORED_SPEC_HASH)
                    ? ds
                    : null;
        });
        assertThat(created.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo(self.getMetadata().getUid());
            assertThat(o.getKind()).isEqualTo("Deployment");
        });
        assertThat(client.apps().daemonSets().inNamespace(NS).list().getItems())
                .as("one DaemonSet, for the operator's own Deployment")
                .hasSize(1);
        String settled = created.getMetadata().getResourceVersion();
        Thread.sleep(1500);
        assertThat(stored().getMetadata().getResourceVersion())
                .as("no write while nothing changes")
                .isEqualTo(settled);

        client.apps().daemonSets().inNamespace(NS).withName("confext-agent").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("someone-elses:9");
            return d;
        });
        await("edited image put back", () -> "agent:1".equals(image(stored())) ? true : null);

        client.apps().daemonSets().inNamespace(NS).withName("confext-agent").delete();
        await("deleted DaemonSet recreated", () -> stored() != null && "agent:1".equals(image(stored())) ? true : null);

        operator.stop();
        start("agent:2");
        await("new settings written by the next operator", () -> "agent:2".equals(image(stored())) ? true : null);
    }

    /** An operator before this one created the DaemonSet without an owner: the next write adopts it. */
    @Test
    void adoptsADaemonSetCreatedWithoutAnOwner() throws Exception {
        Deployment self = client.apps()
                .deployments()
                .inNamespace(NS)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("confext-operator")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .endSpec()
                        .build())
                .create();
        client.apps()
                .daemonSets()
                .inNamespace(NS)
                .resource(AgentDaemonSet.desired(AgentDaemonSetTest.settings("agent:1", Optional.empty())))
                .create();
        start("agent:1");
        DaemonSet adopted = await("owner reference added", () -> {
            DaemonSet ds = stored();
            return ds.getMetadata().getOwnerReferences() != null
                            && !ds.getMetadata().getOwnerReferences().isEmpty()
                    ? ds
                    : null;
        });
        assertThat(adopted.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        o -> assertThat(o.getUid()).isEqualTo(self.getMetadata().getUid()));
        assertThat(image(adopted)).isEqualTo("agent:1");
    }

    static String image(DaemonSet ds) {
        return ds == null
                ? null
                : ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        Instant end = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(end)) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
