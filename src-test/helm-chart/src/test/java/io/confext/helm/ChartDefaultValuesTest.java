package io.confext.helm;

import static io.confext.helm.RbacRules.resources;
import static io.confext.helm.RbacRules.verbsOnAnyName;
import static io.confext.helm.RbacRules.verbsOnName;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code helm template} with the chart's default values: what a plain {@code helm install} creates. */
class ChartDefaultValuesTest {

    private static final String NS = ChartRenderer.NAMESPACE;
    private static final String AGENT_SA = "confext-operator-agent";
    private static RenderedChart chart;

    @BeforeAll
    static void render() {
        chart = new ChartRenderer(ChartLocation.fromBuild()).render("");
    }

    @Test
    void rendersTheOperatorRbacAndPolicyButLeavesTheDaemonSetToTheOperator() {
        assertThat(chart.summary())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/confext-operator",
                        "ServiceAccount/" + AGENT_SA,
                        "ClusterRole/confext-operator-operator",
                        "ClusterRoleBinding/confext-operator-operator",
                        "Role/confext-operator-operator",
                        "RoleBinding/confext-operator-operator",
                        "ClusterRole/confext-operator-agent",
                        "ClusterRoleBinding/confext-operator-agent",
                        "Role/confext-operator-agent",
                        "RoleBinding/confext-operator-agent",
                        "Deployment/confext-operator",
                        "Service/confext-operator-metrics",
                        "Service/confext-operator-agent-metrics",
                        "ValidatingAdmissionPolicy/confext-operator-agent-own-node",
                        "ValidatingAdmissionPolicyBinding/confext-operator-agent-own-node",
                        "Role/confext-operator-agent-events",
                        "RoleBinding/confext-operator-agent-events",
                        "ValidatingAdmissionPolicy/confext-operator-agent-own-events",
                        "ValidatingAdmissionPolicyBinding/confext-operator-agent-own-events",
                        "ValidatingAdmissionPolicy/confext-operator-bundles",
                        "ValidatingAdmissionPolicyBinding/confext-operator-bundles",
                        "ConfextBundlePolicy/confext-operator",
                        "Namespace/" + COPIES,
                        "Role/confext-operator-operator-secret-copies",
                        "RoleBinding/confext-operator-operator-secret-copies",
                        "Role/confext-operator-agent-secret-copies",
                        "RoleBinding/confext-operator-agent-secret-copies");
        assertThat(chart.all(DaemonSet.class)).isEmpty();
        chart.objects().stream()
                .filter(o -> !o.getKind().startsWith("Cluster")
                        && !o.getKind().startsWith("ValidatingAdmission")
                        && !o.getKind().startsWith("Confext")
                        && !o.getKind().equals("Namespace")
                        && !o.getMetadata().getName().endsWith("-secret-copies")
                        && !o.getMetadata().getName().endsWith("-agent-events"))
                .forEach(o -> assertThat(o.getMetadata().getNamespace())
                        .as(o.getKind())
                        .isEqualTo(NS));
    }

    static final String COPIES = NS + "-secret-copies";

    /**
     * The copies of Secret sources live in a namespace of their own: there the agents may get Secrets by name (never
     * list or watch), while in the release namespace they still may read none.
     */
    @Test
    void secretCopiesHaveANamespaceOfTheirOwnWhereAgentsOnlyGetByName() {
        var roles = chart.all(io.fabric8.kubernetes.api.model.rbac.Role.class);
        var agent = roles.stream()
                .filter(r -> r.getMetadata().getName().equals("confext-operator-agent-secret-copies"))
                .findFirst()
                .orElseThrow();
        assertThat(agent.getMetadata().getNamespace()).isEqualTo(COPIES);
        assertThat(verbsOnAnyName(agent.getRules(), "", "secrets")).containsExactly("get");
        var operator = roles.stream()
                .filter(r -> r.getMetadata().getName().equals("confext-operator-operator-secret-copies"))
                .findFirst()
                .orElseThrow();
        assertThat(operator.getMetadata().getNamespace()).isEqualTo(COPIES);
        assertThat(verbsOnAnyName(operator.getRules(), "", "secrets"))
                .containsExactlyInAnyOrder("get", "create", "delete");
        var agentInRelease = roles.stream()
                .filter(r -> r.getMetadata().getName().equals("confext-operator-agent"))
                .findFirst()
                .orElseThrow();
        assertThat(verbsOnAnyName(agentInRelease.getRules(), "", "secrets"))
                .as("no Secret of the release namespace")
                .isEmpty();
        assertThat(plainEnv(chart.one(Deployment.class, "confext-operator")))
                .containsEntry("CONFEXT_OPERATOR_SECRET_COPY_NAMESPACE", COPIES);
    }

    @Test
    void operatorRunsUnprivilegedWithLeaderElection() {
        Deployment operator = chart.one(Deployment.class, "confext-operator");
        assertThat(operator.getSpec().getReplicas()).isEqualTo(1);
        AgentPodAssertions.assertUnprivileged(operator.getSpec().getTemplate().getSpec(), "operator");
        assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("confext-operator");
        Map<String, String> env = plainEnv(operator);
        assertThat(env)
                .containsEntry("CONFEXT_OPERATOR_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("CONFEXT_OPERATOR_DEPLOYMENT_NAME", "confext-operator")
                .containsEntry("CONFEXT_OPERATOR_LEADER_ELECTION_LEASE_NAME", "confext-operator-leader")
                .containsEntry("CONFEXT_AGENT_MANAGED", "true")
                .containsEntry("CONFEXT_AGENT_DAEMONSET_NAME", "confext-operator-agent")
                .containsEntry("CONFEXT_AGENT_IMAGE", "ghcr.io/confext/confext-node-agent:0.1.0")
                .containsEntry("CONFEXT_AGENT_SERVICE_ACCOUNT", AGENT_SA)
                .containsEntry("CONFEXT_AGENT_PRIORITY_CLASS_NAME", "system-node-critical")
                .containsEntry("CONFEXT_AGENT_TOLERATIONS", "[{\"operator\":\"Exists\"}]");
        assertThat(operator.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                .isEqualTo("ghcr.io/confext/confext-operator:0.1.0");
    }

    /**
     * The operator's JVM is bounded by flags, not by the JVM's default of a quarter of the limit, and
     * what the flags allow (heap, metaspace, code cache) leaves the limit room for the rest of the
     * process (thread stacks, malloc, class data; ~100 MiB measured, BENCHMARKS.md).
     */
    @Test
    void operatorJvmIsBoundedWithinItsMemoryLimit() {
        Deployment operator = chart.one(Deployment.class, "confext-operator");
        Map<String, String> env = plainEnv(operator);
        assertThat(env).containsEntry("MALLOC_ARENA_MAX", "2");
        List<String> flags = List.of(env.get("JAVA_TOOL_OPTIONS").split(" "));
        assertThat(flags).contains("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
        long heap = mebibytes(flags, "-Xmx");
        long metaspace = mebibytes(flags, "-XX:MaxMetaspaceSize=");
        long codeCache = mebibytes(flags, "-XX:ReservedCodeCacheSize=");
        long limit = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(operator.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getResources()
                                .getLimits()
                                .get("memory"))
                        .longValueExact()
                >> 20;
        assertThat(heap + metaspace + codeCache + 100)
                .as("heap + metaspace + code cache + the rest, MiB, within limits.memory")
                .isLessThanOrEqualTo(limit);
    }

    private static long mebibytes(List<String> flags, String prefix) {
        String v = flags.stream()
                .filter(f -> f.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + flags))
                .substring(prefix.length())
                .toLowerCase();
        long n = Long.parseLong(v.replaceAll("[kmg]$", ""));
        return v.endsWith("g") ? n << 10 : v.endsWith("k") ? n >> 10 : v.endsWith("m") ? n : n >> 20;
    }

    @Test
    void agentPodTemplateHandedToTheOperatorIsPrivilegedWithOnlyTheNeededHostPaths() {
        String json = plainEnv(chart.one(Deployment.class, "confext-operator")).get("CONFEXT_AGENT_POD_TEMPLATE");
        PodTemplateSpec template = Serialization.unmarshal(json, PodTemplateSpec.class);
        AgentPodAssertions.assertAgentPod(template, AGENT_SA);
        assertThat(template.getSpec().getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(template.getSpec().getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
            assertThat(t.getEffect()).isNull();
        });
        assertThat(template.getSpec().getContainers().get(0).getResources().getLimits())
                .containsKey("memory");
        assertThat(template.getSpec().getContainers().get(0).getEnv())
                .as("no image policy: systemd's default")
                .noneMatch(e -> e.getName().equals("CONFEXT_IMAGES_POLICY"));
    }

    @Test
    void theDiskDefaultsReachTheAgentThroughThePodTemplateTheOperatorBuildsFrom() {
        String json = plainEnv(chart.one(Deployment.class, "confext-operator")).get("CONFEXT_AGENT_POD_TEMPLATE");
        PodTemplateSpec template = Serialization.unmarshal(json, PodTemplateSpec.class);
        var env = template.getSpec().getContainers().get(0).getEnv();
        // whole numbers, not Helm's floats (4.294967296e+09): the agent parses them as longs
        assertThat(env)
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("CONFEXT_AGENT_DISK_MIN_FREE_BYTES");
                    assertThat(e.getValue()).isEqualTo("134217728");
                })
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES");
                    assertThat(e.getValue()).isEqualTo("4294967296");
                });
    }

    @Test
    void agentMayReadConfextNodesAndWriteOnlyTheirStatus() {
        List<PolicyRule> rules =
                chart.one(ClusterRole.class, "confext-operator-agent").getRules();
        assertThat(verbsOnAnyName(rules, "confext.io", "confextnodes")).containsExactly("get", "list", "watch");
        assertThat(verbsOnAnyName(rules, "confext.io", "confextnodes/status")).containsExactly("patch", "update");
        assertThat(resources(rules))
                .containsExactlyInAnyOrder("confext.io/confextnodes", "confext.io/confextnodes/status");

        List<PolicyRule> nsRules =
                chart.one(Role.class, "confext-operator-agent").getRules();
        assertThat(verbsOnAnyName(nsRules, "apps", "controllerrevisions")).containsExactly("get");
        assertThat(resources(nsRules))
                .as("no Secret: trusted certificates come frozen in the revision")
                .containsExactly("apps/controllerrevisions");

        assertBoundTo(
                chart.one(ClusterRoleBinding.class, "confext-operator-agent").getSubjects(), AGENT_SA);
        assertBoundTo(chart.one(RoleBinding.class, "confext-operator-agent").getSubjects(), AGENT_SA);
    }

    @Test
    void agentMayOnlyCreateAndCountUpEventsAndOnlyInDefault() {
        Role events = chart.one(Role.class, "confext-operator-agent-events");
        assertThat(events.getMetadata().getNamespace())
                .as("the only namespace the API server takes an Event about a cluster-scoped ConfextNode in")
                .isEqualTo("default");
        assertThat(verbsOnAnyName(events.getRules(), "", "events")).containsExactly("create", "patch");
        assertThat(resources(events.getRules())).containsExactly("events");
        RoleBinding binding = chart.one(RoleBinding.class, "confext-operator-agent-events");
        assertThat(binding.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(binding.getRoleRef().getName()).isEqualTo("confext-operator-agent-events");
        assertBoundTo(binding.getSubjects(), AGENT_SA);
    }

    @Test
    void operatorGetsExactlyWhatItManages() {
        List<PolicyRule> rules =
                chart.one(ClusterRole.class, "confext-operator-operator").getRules();
        assertThat(verbsOnAnyName(rules, "confext.io", "confextbundles"))
                .containsExactly("get", "list", "patch", "update", "watch");
        assertThat(verbsOnAnyName(rules, "confext.io", "confextbundles/status"))
                .containsExactly("get", "patch", "update");
        assertThat(verbsOnAnyName(rules, "confext.io", "confextbundles/finalizers"))
                .containsExactly("update");
        assertThat(verbsOnAnyName(rules, "confext.io", "confextnodes"))
                .containsExactly("create", "delete", "get", "list", "patch", "update", "watch");
        assertThat(verbsOnAnyName(rules, "confext.io", "confextnodes/status"))
                .as("status is the agents'")
                .containsExactly("get");
        assertThat(verbsOnAnyName(rules, "", "nodes")).containsExactly("get", "list", "watch");
        assertThat(verbsOnAnyName(rules, "", "secrets"))
                .as("no Secret cluster-wide")
                .isEmpty();
        assertThat(verbsOnAnyName(rules, "", "configmaps"))
                .as("no ConfigMap cluster-wide")
                .isEmpty();
        assertThat(verbsOnAnyName(rules, "", "events")).containsExactly("create", "patch");
        assertThat(verbsOnAnyName(rules, "events.k8s.io", "events")).containsExactly("create", "patch");

        List<PolicyRule> nsRules =
                chart.one(Role.class, "confext-operator-operator").getRules();
        assertThat(verbsOnAnyName(nsRules, "apps", "controllerrevisions"))
                .containsExactly("create", "delete", "get", "list", "patch", "update", "watch");
        assertThat(verbsOnAnyName(nsRules, "apps", "daemonsets"))
                .as("any DaemonSet: read and create only")
                .containsExactly("create", "get", "list", "watch");
        assertThat(verbsOnName(nsRules, "apps", "daemonsets", "confext-operator-agent"))
                .containsExactly("create", "delete", "get", "list", "patch", "update", "watch");
        assertThat(verbsOnAnyName(nsRules, "coordination.k8s.io", "leases")).containsExactly("create");
        assertThat(verbsOnName(nsRules, "coordination.k8s.io", "leases", "confext-operator-leader"))
                .containsExactly("create", "get", "patch", "update");
        assertThat(verbsOnAnyName(nsRules, "apps", "deployments"))
                .as("its own Deployment, the agent DaemonSet's owner: read only")
                .containsExactly("get", "list", "watch");
        assertThat(verbsOnAnyName(nsRules, "", "secrets"))
                .as("trust Secrets of its own namespace, by name")
                .containsExactly("get");
        assertThat(verbsOnAnyName(nsRules, "", "configmaps"))
                .as("ConfigMap sources of its own namespace, by name")
                .containsExactly("get");
        assertThat(chart.objects())
                .as("no other namespace by default")
                .noneMatch(o -> o.getMetadata().getName().endsWith("-sources"));

        assertBoundTo(
                chart.one(ClusterRoleBinding.class, "confext-operator-operator").getSubjects(), "confext-operator");
        assertBoundTo(chart.one(RoleBinding.class, "confext-operator-operator").getSubjects(), "confext-operator");
    }

    @Test
    void noRoleUsesWildcards() {
        for (HasMetadata o : chart.objects()) {
            List<PolicyRule> rules =
                    o instanceof ClusterRole cr ? cr.getRules() : o instanceof Role r ? r.getRules() : List.of();
            for (PolicyRule rule : rules) {
                assertThat(rule.getVerbs()).as(o.getMetadata().getName()).doesNotContain("*");
                assertThat(rule.getResources()).as(o.getMetadata().getName()).doesNotContain("*");
                assertThat(rule.getApiGroups()).as(o.getMetadata().getName()).doesNotContain("*");
            }
        }
    }

    @Test
    void admissionPolicyTiesAgentWritesToTheTokensNode() {
        ValidatingAdmissionPolicy policy =
                chart.one(ValidatingAdmissionPolicy.class, "confext-operator-agent-own-node");
        assertThat(policy.getApiVersion()).isEqualTo("admissionregistration.k8s.io/v1");
        assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
                .singleElement()
                .satisfies(rule -> {
                    assertThat(rule.getApiGroups()).containsExactly("confext.io");
                    assertThat(rule.getResources()).containsExactlyInAnyOrder("confextnodes", "confextnodes/status");
                    assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE", "DELETE");
                });
        assertThat(policy.getSpec().getMatchConditions())
                .singleElement()
                .satisfies(c -> assertThat(c.getExpression())
                        .isEqualTo(
                                "request.userInfo.username == \"system:serviceaccount:" + NS + ":" + AGENT_SA + "\""));
        String expressions = policy.getSpec().getValidations().stream()
                        .map(v -> v.getExpression())
                        .collect(Collectors.joining("\n"))
                + policy.getSpec().getVariables().stream()
                        .map(v -> v.getExpression())
                        .collect(Collectors.joining("\n"));
        assertThat(expressions)
                .contains(
                        "authentication.kubernetes.io/node-name",
                        "request.name in variables.boundNodes",
                        "object.spec == oldObject.spec");

        ValidatingAdmissionPolicyBinding binding =
                chart.one(ValidatingAdmissionPolicyBinding.class, "confext-operator-agent-own-node");
        assertThat(binding.getSpec().getPolicyName()).isEqualTo("confext-operator-agent-own-node");
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
    }

    @Test
    @SuppressWarnings("unchecked")
    void bundlePolicyDefaultsAreSafe() {
        HasMetadata params = chart.objects().stream()
                .filter(o -> o.getKind().equals("ConfextBundlePolicy"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> spec = (Map<String, Object>)
                ((GenericKubernetesResource) params).getAdditionalProperties().get("spec");
        assertThat(spec)
                .containsEntry("requireSignedImages", false)
                .containsEntry("trustNamespace", NS)
                .containsEntry("sourceNamespaces", List.of(NS));
        assertThat((List<String>) spec.get("deniedPaths"))
                .contains(
                        "ssh/",
                        "sudoers",
                        "shadow",
                        "gshadow",
                        "passwd",
                        "group",
                        "pam.d/",
                        "security/",
                        "systemd/",
                        "cron*",
                        "ld.so.*",
                        "verity.d/",
                        "profile.d/",
                        "kubernetes/");
        assertThat((List<Map<String, Object>>) spec.get("grants"))
                .singleElement()
                .satisfies(g -> {
                    assertThat(g)
                            .containsEntry("groups", List.of("system:authenticated"))
                            .containsEntry("scopes", List.of("Service"));
                    assertThat(g).doesNotContainKeys("controlPlane", "opaqueSources", "liftDeniedPaths");
                });
        ValidatingAdmissionPolicy policy = chart.one(ValidatingAdmissionPolicy.class, "confext-operator-bundles");
        assertThat(policy.getSpec().getParamKind().getKind()).isEqualTo("ConfextBundlePolicy");
        assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
                .singleElement()
                .satisfies(rule -> assertThat(rule.getResources()).containsExactly("confextbundles"));
        ValidatingAdmissionPolicyBinding binding =
                chart.one(ValidatingAdmissionPolicyBinding.class, "confext-operator-bundles");
        assertThat(binding.getSpec().getParamRef().getName()).isEqualTo("confext-operator");
        assertThat(binding.getSpec().getParamRef().getParameterNotFoundAction()).isEqualTo("Deny");
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
        var agentEnv = Serialization.unmarshal(
                        plainEnv(chart.one(Deployment.class, "confext-operator"))
                                .get("CONFEXT_AGENT_POD_TEMPLATE"),
                        PodTemplateSpec.class)
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();
        assertThat(agentEnv).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES");
            assertThat(e.getValue()).isEqualTo("false");
        });
    }

    @Test
    void serviceAccountsAreSeparate() {
        assertThat(chart.all(ServiceAccount.class))
                .extracting(sa -> sa.getMetadata().getName())
                .containsExactlyInAnyOrder("confext-operator", AGENT_SA);
    }

    static Map<String, String> plainEnv(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static void assertBoundTo(List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects, String serviceAccount) {
        assertThat(subjects).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(serviceAccount);
            assertThat(s.getNamespace()).isEqualTo(NS);
        });
    }
}
