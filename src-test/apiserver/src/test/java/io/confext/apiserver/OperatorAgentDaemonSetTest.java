package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.operator.OperatorAssembly;
import io.confext.operator.OperatorRuntime;
import io.confext.operator.daemonset.AgentDaemonSet;
import io.confext.operator.daemonset.AgentReconciler;
import io.confext.operator.daemonset.AgentSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The path the chart takes by default: it hands the agent settings to the operator as environment
 * variables, and the operator's agent controller, with only the chart's operator token and RBAC and
 * server-side apply on, creates the agent DaemonSet as a dependent of the operator's Deployment and
 * repairs it on a real API server; the DaemonSet the server stores has the chart's security shape
 * (privileged, hostPID, exactly the four host paths, system-node-critical, tolerates all taints,
 * one node at a time).
 */
@RealApiServerTest
class OperatorAgentDaemonSetTest {

    private static final String NS = "ds-test";
    private static final String RELEASE = "ds-confext-operator";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static Map<String, String> env;
    private static KubernetesClient operatorClient;
    private static Operator operator;
    private static ReconcileCounter reconciles;
    private static final WriteCounter writes = new WriteCounter();

    @BeforeAll
    static void installChartAndStartTheAgentController(ApiServer server) {
        ChartInstaller.install(server, RELEASE, NS);
        env = operatorEnv(server.admin());
        operatorClient = server.withToken(
                Tokens.unbound(server.admin(), NS, RELEASE),
                http -> http.addOrReplaceInterceptor("count-writes", writes));
        start();
        settled(server.admin());
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (operatorClient != null) {
            operatorClient.close();
        }
    }

    private static void start() {
        reconciles = new ReconcileCounter();
        operator = OperatorAssembly.create(
                operatorClient,
                reconciles,
                new OperatorRuntime(true, Optional.empty()),
                List.of(new AgentReconciler(settings(), env.get("CONFEXT_OPERATOR_DEPLOYMENT_NAME"))));
        operator.start();
    }

    /**
     * A restarted operator reconciles a DaemonSet nobody touched and must not write it: on a real
     * server the stored spec carries defaulted fields the desired spec lacks, which a naive
     * comparison sees as drift (and would roll every agent pod in the worst case).
     */
    @Test
    void reconcilingAnUntouchedDaemonSetWritesNothing(ApiServer server) throws InterruptedException {
        DaemonSet before = settled(server.admin());
        int writesBefore = writes.writes().size();
        operator.stop();
        start();
        await("the restarted operator reconciled its Deployment", () -> reconciles.of("Deployment") > 0 ? true : null);
        Thread.sleep(1000);
        DaemonSet after = ds(server.admin());
        assertThat(after.getMetadata().getResourceVersion())
                .as("not written")
                .isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(after.getMetadata().getGeneration())
                .isEqualTo(before.getMetadata().getGeneration());
        assertThat(writes.writes().subList(writesBefore, writes.writes().size()))
                .as("no request that writes")
                .isEmpty();
    }

    @Test
    void operatorRepairsTheAgentDaemonSetWhichHasTheChartsSecurityShape(ApiServer server) {
        KubernetesClient admin = server.admin();
        settled(admin);
        // Someone strips the privileges: the operator puts them back (writes on its own DaemonSet only).
        admin.apps().daemonSets().inNamespace(NS).withName(RELEASE + "-agent").edit(ds -> {
            ds.getSpec().getTemplate().getSpec().setHostPID(false);
            return ds;
        });
        DaemonSet stored = await("hostPID put back", () -> {
            DaemonSet ds = ds(admin);
            return Boolean.TRUE.equals(ds.getSpec().getTemplate().getSpec().getHostPID()) ? ds : null;
        });

        PodSpec pod = stored.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getSecurityContext().getPrivileged())
                .isTrue();
        assertThat(pod.getServiceAccountName()).isEqualTo(RELEASE + "-agent");
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod.getTolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
        assertThat(pod.getVolumes().stream()
                        .filter(v -> v.getHostPath() != null)
                        .map(v -> v.getHostPath().getPath()))
                .as("no hostPath: the agent reaches the host through /proc/1/root")
                .isEmpty();
        assertThat(pod.getHostNetwork()).as("agent on the host network").isTrue();
        assertThat(pod.getContainers().get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("NODE_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        });
        assertThat(stored.getSpec()
                        .getUpdateStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .as("one node at a time")
                .isEqualTo(1);
        Deployment self =
                admin.apps().deployments().inNamespace(NS).withName(RELEASE).get();
        assertThat(stored.getMetadata().getOwnerReferences())
                .as("owned by the operator's Deployment: removed on uninstall")
                .singleElement()
                .satisfies(
                        o -> assertThat(o.getUid()).isEqualTo(self.getMetadata().getUid()));
        assertThat(stored.getMetadata().getManagedFields())
                .as("written with server-side apply")
                .anySatisfy(f -> assertThat(f.getOperation()).isEqualTo("Apply"));
    }

    /** The DaemonSet after the operator's last write, its stored spec recorded. */
    private static DaemonSet settled(KubernetesClient admin) {
        return await("agent DaemonSet written and its stored spec recorded", () -> {
            DaemonSet ds = ds(admin);
            return ds != null
                            && AgentDaemonSet.specHash(ds)
                                    .equals(ds.getMetadata().getAnnotations().get(AgentDaemonSet.STORED_SPEC_HASH))
                    ? ds
                    : null;
        });
    }

    private static DaemonSet ds(KubernetesClient admin) {
        return admin.apps()
                .daemonSets()
                .inNamespace(NS)
                .withName(RELEASE + "-agent")
                .get();
    }

    private static <T> T await(String what, Supplier<T> probe) {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
    }

    private static Map<String, String> operatorEnv(KubernetesClient admin) {
        Deployment deployment =
                admin.apps().deployments().inNamespace(NS).withName(RELEASE).get();
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    /** What the operator reads from its environment (ConfextConfig), taken from the Deployment helm installed. */
    private static AgentSettings settings() {
        return new AgentSettings(
                NS,
                env.get("CONFEXT_AGENT_DAEMONSET_NAME"),
                env.get("CONFEXT_AGENT_IMAGE"),
                env.get("CONFEXT_AGENT_IMAGE_PULL_POLICY"),
                env.get("CONFEXT_AGENT_SERVICE_ACCOUNT"),
                Optional.ofNullable(env.get("CONFEXT_AGENT_PRIORITY_CLASS_NAME")),
                env.get("CONFEXT_AGENT_TOLERATIONS"),
                env.get("CONFEXT_AGENT_NODE_SELECTOR"),
                env.get("CONFEXT_AGENT_RESOURCES"),
                Optional.ofNullable(env.get("CONFEXT_AGENT_POD_TEMPLATE")),
                Boolean.parseBoolean(env.get("CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES")),
                new AgentSettings.Disk(
                        Long.parseLong(env.get("CONFEXT_AGENT_DISK_MIN_FREE_BYTES")),
                        Long.parseLong(env.get("CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES"))));
    }
}
