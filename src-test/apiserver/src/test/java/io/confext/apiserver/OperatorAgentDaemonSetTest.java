package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.confext.operator.agent.AgentDaemonSetKeeper;
import io.confext.operator.agent.AgentSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The path the chart takes by default: it hands the agent settings to the operator as environment
 * variables, and the operator, with only the chart's operator token and RBAC, creates and repairs
 * the agent DaemonSet on a real API server; the DaemonSet the server stores has the chart's
 * security shape (privileged, hostPID, exactly the four host paths, system-node-critical,
 * tolerates all taints, one node at a time).
 */
@ExtendWith(RealApiServerExtension.class)
class OperatorAgentDaemonSetTest {

    private static final String NS = "ds-test";
    private static final String RELEASE = "ds-confext-operator";

    private static AgentSettings settings;

    @BeforeAll
    static void installChartAndCreateTheDaemonSet(ApiServer server) {
        ChartInstaller.install(server, RELEASE, NS);
        settings = settingsFromTheInstalledDeployment(server.admin());
        try (KubernetesClient operator = server.withToken(Tokens.unbound(server.admin(), NS, RELEASE))) {
            assertThat(new AgentDaemonSetKeeper(operator, settings).reconcile()).isEqualTo(AgentDaemonSetKeeper.Outcome.CREATED);
        }
    }

    /**
     * A reconcile of a DaemonSet nobody touched must not write it: on a real server the stored
     * spec carries defaulted fields the desired spec lacks, which a naive comparison sees as drift.
     */
    @Test
    void reconcilingAnUntouchedDaemonSetWritesNothing(ApiServer server) {
        try (KubernetesClient operator = server.withToken(Tokens.unbound(server.admin(), NS, RELEASE))) {
            assertThat(new AgentDaemonSetKeeper(operator, settings).reconcile()).isEqualTo(AgentDaemonSetKeeper.Outcome.UNCHANGED);
        }
    }

    @Test
    void operatorRepairsTheAgentDaemonSetWhichHasTheChartsSecurityShape(ApiServer server) {
        KubernetesClient admin = server.admin();
        try (KubernetesClient operator = server.withToken(Tokens.unbound(admin, NS, RELEASE))) {
            // Someone strips the privileges: the operator puts them back (update on its own DaemonSet only).
            admin.apps().daemonSets().inNamespace(NS).withName(RELEASE + "-agent").edit(ds -> {
                ds.getSpec().getTemplate().getSpec().setHostPID(false);
                return ds;
            });
            assertThat(new AgentDaemonSetKeeper(operator, settings).reconcile()).isEqualTo(AgentDaemonSetKeeper.Outcome.UPDATED);
        }

        DaemonSet stored = admin.apps().daemonSets().inNamespace(NS).withName(RELEASE + "-agent").get();
        PodSpec pod = stored.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostPID()).isTrue();
        assertThat(pod.getContainers().get(0).getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod.getServiceAccountName()).isEqualTo(RELEASE + "-agent");
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
        assertThat(pod.getVolumes().stream().filter(v -> v.getHostPath() != null).map(v -> v.getHostPath().getPath()))
                .containsExactlyInAnyOrder("/var/lib/confext-operator", "/var/lib/confexts", "/etc/systemd/system",
                        "/run/dbus/system_bus_socket");
        assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("NODE_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        });
        assertThat(stored.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                .as("one node at a time").isEqualTo(1);
    }

    /** What the operator reads from its environment (ConfextConfig), taken from the Deployment helm installed. */
    private static AgentSettings settingsFromTheInstalledDeployment(KubernetesClient admin) {
        Deployment deployment = admin.apps().deployments().inNamespace(NS).withName(RELEASE).get();
        Map<String, String> env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        return new AgentSettings(NS, env.get("CONFEXT_AGENT_DAEMONSET_NAME"), env.get("CONFEXT_AGENT_IMAGE"),
                env.get("CONFEXT_AGENT_IMAGE_PULL_POLICY"), env.get("CONFEXT_AGENT_SERVICE_ACCOUNT"),
                Optional.ofNullable(env.get("CONFEXT_AGENT_PRIORITY_CLASS_NAME")), env.get("CONFEXT_AGENT_TOLERATIONS"),
                env.get("CONFEXT_AGENT_NODE_SELECTOR"), env.get("CONFEXT_AGENT_RESOURCES"),
                Optional.ofNullable(env.get("CONFEXT_AGENT_POD_TEMPLATE")));
    }
}
