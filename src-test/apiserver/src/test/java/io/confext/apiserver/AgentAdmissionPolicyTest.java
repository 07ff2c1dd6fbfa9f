package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy, enforced by a real API server: an agent whose token is
 * bound to node A may write node A's ConfextNode status, but not node B's, never any spec, and a
 * token bound to no node may write nothing. The operator is not affected by the policy.
 */
@RealApiServerTest
class AgentAdmissionPolicyTest {

    private static final String NS = "policy-test";
    private static final String RELEASE = "policy-confext-operator";
    private static final String AGENT_SA = RELEASE + "-agent";
    private static final String OPERATOR_SA = RELEASE;
    private static final String NODE_A = "policy-node-a";
    private static final String NODE_B = "policy-node-b";
    private static final String POLICY_DENIAL = "may only change the ConfextNode of its own node";

    private static KubernetesClient agentOfNodeA;

    @BeforeAll
    static void installChartAndNodes(ApiServer server) {
        ChartInstaller.install(server, RELEASE, NS);
        KubernetesClient admin = server.admin();
        Node nodeA = admin.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(NODE_A)
                        .endMetadata()
                        .build())
                .create();
        admin.resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(NODE_B)
                        .endMetadata()
                        .build())
                .create();
        admin.resource(confextNode(NODE_A)).create();
        admin.resource(confextNode(NODE_B)).create();
        agentOfNodeA = server.withToken(Tokens.boundToNode(admin, NS, AGENT_SA, nodeA));
        // The policy is loaded asynchronously after it is created: wait until it denies once.
        Refusal.awaitRefused(() -> writeStatus(agentOfNodeA, NODE_B, "warm-up"), POLICY_DENIAL);
    }

    @AfterAll
    static void closeClients() {
        if (agentOfNodeA != null) {
            agentOfNodeA.close();
        }
    }

    @Test
    void agentUpdatesTheStatusOfItsOwnNode() {
        GenericKubernetesResource updated = writeStatus(agentOfNodeA, NODE_A, "own-node");
        assertThat(((Map<?, ?>) updated.getAdditionalProperties().get("status")).get("failedBundles"))
                .isEqualTo(7);
    }

    @Test
    void agentCannotUpdateAnotherNodesStatus() {
        KubernetesClientException e = refused(() -> writeStatus(agentOfNodeA, NODE_B, "other-node"));
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getMessage()).contains(POLICY_DENIAL, "bound to node " + NODE_A, "not " + NODE_B);
    }

    @Test
    void agentCannotChangeSpecThroughRbac() {
        KubernetesClientException e = refused(() -> writeSpec(agentOfNodeA, NODE_A));
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getMessage()).contains("cannot update resource \"confextnodes\"");
    }

    @Test
    void agentCannotChangeSpecEvenWhenRbacWouldAllowIt(ApiServer server) {
        // Defence in depth: grant the agent update on ConfextNodes by mistake; the policy still refuses spec changes.
        KubernetesClient admin = server.admin();
        var role = admin.resource(new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName("policy-test-too-much")
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("confext.io")
                        .withResources("confextnodes")
                        .withVerbs("update", "patch")
                        .endRule()
                        .build())
                .create();
        var binding = admin.resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName("policy-test-too-much")
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "policy-test-too-much")
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(AGENT_SA)
                        .withNamespace(NS)
                        .endSubject()
                        .build())
                .create();
        try {
            Refusal.awaitRefused(() -> writeSpec(agentOfNodeA, NODE_A), "never change a ConfextNode's spec");
        } finally {
            admin.resource(binding).delete();
            admin.resource(role).delete();
        }
    }

    @Test
    void agentCannotCreateOrDeleteConfextNodes() {
        assertThat(refused(() -> agentOfNodeA
                                .resource(confextNode("policy-node-c"))
                                .create())
                        .getCode())
                .isEqualTo(403);
        KubernetesClientException delete = refused(() -> {
            List<?> details = agentOfNodeA.resource(confextNode(NODE_A)).delete();
            if (details.isEmpty()) {
                throw new AssertionError("nothing deleted");
            }
            return null;
        });
        assertThat(delete.getCode()).isEqualTo(403);
    }

    @Test
    void tokenBoundToNoNodeCannotWriteAnyStatus(ApiServer server) {
        try (KubernetesClient unbound = server.withToken(Tokens.unbound(server.admin(), NS, AGENT_SA))) {
            KubernetesClientException e = refused(() -> writeStatus(unbound, NODE_A, "unbound"));
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("must be bound to a node");
        }
    }

    @Test
    void operatorIsNotSubjectToTheAgentPolicy(ApiServer server) {
        try (KubernetesClient operator = server.withToken(Tokens.unbound(server.admin(), NS, OPERATOR_SA))) {
            GenericKubernetesResource updated = writeSpec(operator, NODE_B);
            assertThat(Serialization.asJson(updated.getAdditionalProperties().get("spec")))
                    .contains("policy-test-bundle");
        }
    }

    private static GenericKubernetesResource confextNode(String name) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("confext.io/v1alpha1")
                .withKind("ConfextNode")
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("bundles", List.of()))
                .build();
    }

    /** Reads the node as the given client and writes a status through the /status subresource. */
    private static GenericKubernetesResource writeStatus(KubernetesClient client, String node, String marker) {
        GenericKubernetesResource current = client.genericKubernetesResources("confext.io/v1alpha1", "ConfextNode")
                .withName(node)
                .get();
        current.getAdditionalProperties().put("status", Map.of("activeBundles", 0, "failedBundles", 7));
        current.getMetadata().setManagedFields(null);
        return client.resource(current).updateStatus();
    }

    /** Reads the node and changes its spec through the main resource. */
    private static GenericKubernetesResource writeSpec(KubernetesClient client, String node) {
        GenericKubernetesResource current = client.genericKubernetesResources("confext.io/v1alpha1", "ConfextNode")
                .withName(node)
                .get();
        current.getAdditionalProperties()
                .put(
                        "spec",
                        Map.of(
                                "bundles",
                                List.of(Map.of(
                                        "name",
                                        "policy-test-bundle",
                                        "version",
                                        "1",
                                        "revision",
                                        Map.of(
                                                "name",
                                                "policy-test-bundle-1",
                                                "namespace",
                                                NS,
                                                "digest",
                                                "sha256:" + "0".repeat(64))))));
        return client.resource(current).update();
    }

    private static KubernetesClientException refused(java.util.function.Supplier<?> write) {
        try {
            write.get();
        } catch (KubernetesClientException e) {
            return e;
        }
        throw new AssertionError("the write was accepted, but must be refused");
    }

    /** Retries until the write is refused with the expected text (policies and RBAC changes apply after a moment). */
}
