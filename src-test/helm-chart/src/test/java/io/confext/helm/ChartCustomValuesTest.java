package io.confext.helm;

import static io.confext.helm.RbacRules.resources;
import static io.confext.helm.RbacRules.verbsOnAnyName;
import static io.confext.helm.RbacRules.verbsOnName;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code helm template} with a non-default set: the chart renders the agent DaemonSet itself,
 * several operator replicas, custom images, tolerations and resources, a ConfigMap source
 * namespace, signed images required, no bundle policy.
 */
class ChartCustomValuesTest {

    private static final String VALUES = """
            fullnameOverride: cx
            commonLabels: {team: platform}
            operator:
              image: {repository: registry.example.org/cx/operator, tag: "1.2.3", pullPolicy: Always}
              replicas: 3
              leaderElection: {enabled: true, leaseName: cx-lock}
              resources: {requests: {cpu: 100m, memory: 256Mi}, limits: {memory: 512Mi}}
              jvmOptions: "-XX:+UseSerialGC -Xmx300m"
              sourceNamespaces: [platform]
            agent:
              managedByOperator: false
              image: {repository: registry.example.org/cx/agent, tag: "1.2.3-rc.1", pullPolicy: Always}
              serviceAccount: {create: true, name: cx-node-agent}
              tolerations:
                - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
              resources: {requests: {cpu: 50m, memory: 200Mi}, limits: {memory: 400Mi}}
              probes: {enabled: false, port: 8080}
              imagePolicy: "root=unprotected+absent:usr=absent"
              disk: {minFreeBytes: 536870912, maxVersionsBytes: 0}
              pullSecrets: [registry-pull, mirror-pull]
            policy:
              enabled: false
              requireSignedImages: true
            """;

    private static RenderedChart chart;

    @BeforeAll
    static void render() {
        chart = new ChartRenderer(ChartLocation.fromBuild()).render(VALUES);
    }

    @Test
    void chartRendersThePrivilegedAgentDaemonSetOneNodeAtATime() {
        DaemonSet agent = chart.one(DaemonSet.class, "cx-agent");
        AgentPodAssertions.assertAgentPod(agent.getSpec().getTemplate(), "cx-node-agent");
        PodSpec pod = agent.getSpec().getTemplate().getSpec();
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("node-role.kubernetes.io/control-plane");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.example.org/cx/agent:1.2.3-rc.1");
        assertThat(pod.getContainers()
                        .get(0)
                        .getResources()
                        .getLimits()
                        .get("memory")
                        .toString())
                .isEqualTo("400Mi");
        assertThat(pod.getContainers().get(0).getLivenessProbe())
                .as("probes disabled")
                .isNull();
        assertThat(pod.getContainers().get(0).getEnv())
                .as("agent.imagePolicy reaches the agent")
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("CONFEXT_IMAGES_POLICY");
                    assertThat(e.getValue()).isEqualTo("root=unprotected+absent:usr=absent");
                });
        assertThat(pod.getContainers().get(0).getEnv())
                .as("agent.disk reaches the agent")
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("CONFEXT_AGENT_DISK_MIN_FREE_BYTES");
                    assertThat(e.getValue()).isEqualTo("536870912");
                })
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES");
                    assertThat(e.getValue()).isEqualTo("0");
                });
        assertThat(agent.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(agent.getSpec()
                        .getUpdateStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isEqualTo(1);
        assertThat(agent.getSpec().getSelector().getMatchLabels())
                .isEqualTo(agent.getSpec().getTemplate().getMetadata().getLabels());
        assertThat(ChartDefaultValuesTest.plainEnv(chart.one(Deployment.class, "cx")))
                .containsEntry("CONFEXT_AGENT_MANAGED", "false")
                .as("agent.disk reaches the operator, which sets it on the agents it builds")
                .containsEntry("CONFEXT_AGENT_DISK_MIN_FREE_BYTES", "536870912")
                .containsEntry("CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES", "0");
        assertThat(RbacRules.verbsOnAnyName(chart.one(Role.class, "cx-operator").getRules(), "apps", "deployments"))
                .as("no agent DaemonSet to own: no need to read Deployments")
                .isEmpty();
    }

    @Test
    void onlyTheAgentIsPrivileged() {
        Deployment operator = chart.one(Deployment.class, "cx");
        AgentPodAssertions.assertUnprivileged(operator.getSpec().getTemplate().getSpec(), "operator");
        assertThat(chart.all(Deployment.class)).hasSize(1);
        assertThat(chart.all(DaemonSet.class)).hasSize(1);
    }

    @Test
    void operatorTakesReplicasImageAndLease() {
        Deployment operator = chart.one(Deployment.class, "cx");
        assertThat(operator.getSpec().getReplicas()).isEqualTo(3);
        assertThat(operator.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("registry.example.org/cx/operator:1.2.3");
        assertThat(ChartDefaultValuesTest.plainEnv(operator))
                .containsEntry("CONFEXT_OPERATOR_LEADER_ELECTION_LEASE_NAME", "cx-lock")
                .containsEntry("CONFEXT_AGENT_DAEMONSET_NAME", "cx-agent")
                .containsEntry("CONFEXT_AGENT_SERVICE_ACCOUNT", "cx-node-agent")
                .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC -Xmx300m");
        List<PolicyRule> nsRules = chart.one(Role.class, "cx-operator").getRules();
        assertThat(verbsOnName(nsRules, "coordination.k8s.io", "leases", "cx-lock"))
                .contains("get", "update");
        assertThat(verbsOnName(nsRules, "apps", "daemonsets", "cx-agent")).contains("patch", "update", "delete");
    }

    @Test
    void agentReadsNoSecretButTheListedPullSecrets() {
        List<PolicyRule> rules = chart.one(Role.class, "cx-agent").getRules();
        assertThat(resources(rules)).containsExactlyInAnyOrder("apps/controllerrevisions", "secrets");
    }

    @Test
    void operatorReadsConfigMapsByNameInEachSourceNamespaceOnly() {
        Role sources = chart.objects().stream()
                .filter(o -> o instanceof Role r
                        && "cx-operator-sources".equals(r.getMetadata().getName()))
                .map(Role.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Role cx-operator-sources"));
        assertThat(sources.getMetadata().getNamespace()).isEqualTo("platform");
        assertThat(verbsOnAnyName(sources.getRules(), "", "configmaps")).containsExactly("get");
        assertThat(verbsOnAnyName(sources.getRules(), "", "secrets"))
                .as("Secret sources there too")
                .containsExactly("get");
        assertThat(resources(sources.getRules())).containsExactlyInAnyOrder("configmaps", "secrets");
    }

    @Test
    void signatureRequirementReachesTheRenderedAgentAndTheOperator() {
        var env = chart.one(DaemonSet.class, "cx-agent")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();
        assertThat(env).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES");
            assertThat(e.getValue()).isEqualTo("true");
        });
        assertThat(chart.one(Deployment.class, "cx")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES");
                    assertThat(e.getValue()).isEqualTo("true");
                });
    }

    @Test
    void noBundlePolicyWhenDisabled() {
        assertThat(chart.objects()).noneMatch(o -> o.getKind().equals("ConfextBundlePolicy"));
        assertThat(chart.objects()).noneMatch(o -> o.getMetadata().getName().equals("cx-bundles"));
    }

    @Test
    void admissionPolicyFollowsTheRenamedAgentServiceAccount() {
        ValidatingAdmissionPolicy policy = chart.one(ValidatingAdmissionPolicy.class, "cx-agent-own-node");
        assertThat(policy.getSpec().getMatchConditions().get(0).getExpression())
                .contains("system:serviceaccount:" + ChartRenderer.NAMESPACE + ":cx-node-agent");
        ValidatingAdmissionPolicy events = chart.one(ValidatingAdmissionPolicy.class, "cx-agent-own-events");
        assertThat(events.getSpec().getMatchConditions().get(0).getExpression())
                .contains("system:serviceaccount:" + ChartRenderer.NAMESPACE + ":cx-node-agent");
        assertThat(chart.one(RoleBinding.class, "cx-agent-events").getSubjects())
                .singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo("cx-node-agent"));
    }

    @Test
    void commonLabelsReachEveryObject() {
        for (HasMetadata o : chart.objects()) {
            assertThat(o.getMetadata().getLabels()).as(o.getKind()).containsEntry("team", "platform");
        }
    }

    @Test
    void withoutLeaderElectionTheOperatorGetsNoLeaseAndTheAdmissionPolicyCanBeLeftOut() {
        RenderedChart single = new ChartRenderer(ChartLocation.fromBuild()).render("""
                operator: {leaderElection: {enabled: false}, jvmOptions: ""}
                admissionPolicy: {enabled: false}
                """);
        assertThat(resources(single.one(Role.class, "confext-operator-operator").getRules()))
                .doesNotContain("coordination.k8s.io/leases");
        assertThat(single.all(ValidatingAdmissionPolicy.class))
                .extracting(p -> p.getMetadata().getName())
                .as("the bundle policy is a separate switch (policy.enabled)")
                .containsExactly("confext-operator-bundles");
        assertThat(ChartDefaultValuesTest.plainEnv(single.one(Deployment.class, "confext-operator")))
                .containsEntry("CONFEXT_OPERATOR_LEADER_ELECTION_ENABLED", "false")
                .as("jvmOptions \"\": no JVM flags at all")
                .doesNotContainKey("JAVA_TOOL_OPTIONS");
    }

    @Test
    void agentMayReadExactlyTheListedPullSecrets() {
        List<PolicyRule> nsRules = chart.one(Role.class, "cx-agent").getRules();
        assertThat(verbsOnAnyName(nsRules, "", "secrets"))
                .as("no Secret by any name")
                .isEmpty();
        assertThat(verbsOnName(nsRules, "", "secrets", "registry-pull")).containsExactly("get");
        assertThat(verbsOnName(nsRules, "", "secrets", "mirror-pull")).containsExactly("get");
        assertThat(verbsOnName(nsRules, "", "secrets", "confext-trust")).isEmpty();
    }
}
