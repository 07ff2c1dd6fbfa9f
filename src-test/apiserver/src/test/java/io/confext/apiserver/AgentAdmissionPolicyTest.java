package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's ValidatingAdmissionPolicy, enforced by a real API server: an agent whose token is
 * bound to node A may write node A's ConfextNode status, but not node B's, never any spec, and a
 * token bound to no node may write nothing. The operator is not affected by the policy. Its Events (create and patch
 * in "default" only) must be about its own ConfextNode, and a patch may not move one to another object.
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
    private static final String EVENT_DENIAL = "may only record Events about the ConfextNode of its own node";
    /** Where the agent records its Events: the one namespace the API takes an Event about a cluster-scoped object. */
    private static final String EVENTS_NS = "default";

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
        Refusal.awaitRefused(
                () -> createEvent(agentOfNodeA, "warm-up", "confext.io/v1alpha1", "ConfextNode", NODE_B), EVENT_DENIAL);
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

    @Test
    void agentRecordsAnEventAboutItsOwnConfextNodeAndCountsItUp() {
        Event created = createEvent(agentOfNodeA, "own-node", "confext.io/v1alpha1", "ConfextNode", NODE_A);
        assertThat(created.getCount()).isEqualTo(1);
        // a repeat, as the agent aggregates it: a merge patch of count, lastTimestamp and message
        Event patched = mergePatch(
                agentOfNodeA,
                new EventBuilder()
                        .withNewMetadata()
                        .withNamespace(EVENTS_NS)
                        .withName(created.getMetadata().getName())
                        .endMetadata()
                        .withCount(2)
                        .withLastTimestamp("2026-12-03T10:05:00Z")
                        .withMessage("again")
                        .build());
        assertThat(patched.getCount()).isEqualTo(2);
        assertThat(patched.getMessage()).isEqualTo("again");
    }

    @Test
    void agentCannotRecordAnEventAboutAnotherNodesConfextNode() {
        KubernetesClientException e =
                refused(() -> createEvent(agentOfNodeA, "other-node", "confext.io/v1alpha1", "ConfextNode", NODE_B));
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getMessage()).contains(EVENT_DENIAL, "bound to node " + NODE_A, "not ConfextNode " + NODE_B);
    }

    @Test
    void agentCannotRecordAnEventAboutAnythingButAConfextNode() {
        // its own Node, or a bundle: the kubelet and the operator speak for those
        KubernetesClientException node = refused(() -> createEvent(agentOfNodeA, "node", "v1", "Node", NODE_A));
        assertThat(node.getCode()).isEqualTo(403);
        assertThat(node.getMessage()).contains(EVENT_DENIAL, "not Node " + NODE_A);
        KubernetesClientException bundle =
                refused(() -> createEvent(agentOfNodeA, "bundle", "confext.io/v1alpha1", "ConfextBundle", NODE_A));
        assertThat(bundle.getMessage()).contains(EVENT_DENIAL, "not ConfextBundle " + NODE_A);
    }

    @Test
    void agentCannotMoveItsEventToAnotherObject() {
        Event created = createEvent(agentOfNodeA, "move", "confext.io/v1alpha1", "ConfextNode", NODE_A);
        KubernetesClientException e = refused(() -> mergePatch(
                agentOfNodeA,
                new EventBuilder()
                        .withNewMetadata()
                        .withNamespace(EVENTS_NS)
                        .withName(created.getMetadata().getName())
                        .endMetadata()
                        .withNewInvolvedObject()
                        .withApiVersion("confext.io/v1alpha2")
                        .withKind("ConfextNode")
                        .withName(NODE_A)
                        .endInvolvedObject()
                        .build()));
        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getMessage()).contains("may not move an Event to another object");
    }

    @Test
    void agentMayNotRecordEventsElsewhereNorReadOrDeleteThem() {
        KubernetesClientException elsewhere = refused(() -> agentOfNodeA
                .v1()
                .events()
                .inNamespace(NS)
                .resource(event("elsewhere", "confext.io/v1alpha1", "ConfextNode", NODE_A, NS))
                .create());
        assertThat(elsewhere.getCode()).isEqualTo(403);
        assertThat(elsewhere.getMessage()).contains("cannot create resource \"events\"");
        Event created = createEvent(agentOfNodeA, "kept", "confext.io/v1alpha1", "ConfextNode", NODE_A);
        assertThat(refused(() -> agentOfNodeA
                                .v1()
                                .events()
                                .inNamespace(EVENTS_NS)
                                .list())
                        .getCode())
                .isEqualTo(403);
        assertThat(refused(() -> agentOfNodeA
                                .v1()
                                .events()
                                .inNamespace(EVENTS_NS)
                                .withName(created.getMetadata().getName())
                                .delete())
                        .getCode())
                .isEqualTo(403);
    }

    @Test
    void tokenBoundToNoNodeCannotRecordEvents(ApiServer server) {
        try (KubernetesClient unbound = server.withToken(Tokens.unbound(server.admin(), NS, AGENT_SA))) {
            KubernetesClientException e =
                    refused(() -> createEvent(unbound, "unbound", "confext.io/v1alpha1", "ConfextNode", NODE_A));
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("must be bound to a node");
        }
    }

    /** A merge patch sent as the agent's NodeEvents sends one: the object's own patch, without reading it first. */
    private static Event mergePatch(KubernetesClient client, Event partial) {
        return client.v1()
                .events()
                .inNamespace(EVENTS_NS)
                .resource(partial)
                .patch(PatchContext.of(PatchType.JSON_MERGE));
    }

    /** An Event shaped as the agent's NodeEvents writes it, about the given object, in "default". */
    private static Event createEvent(
            KubernetesClient client, String marker, String apiVersion, String kind, String name) {
        return client.v1()
                .events()
                .inNamespace(EVENTS_NS)
                .resource(event(marker, apiVersion, kind, name, EVENTS_NS))
                .create();
    }

    private static Event event(String marker, String apiVersion, String kind, String name, String namespace) {
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(
                        name + "." + marker + "." + UUID.randomUUID().toString().substring(0, 8))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(apiVersion)
                        .withKind(kind)
                        .withName(name)
                        .build())
                .withType("Warning")
                .withReason("Drifted")
                .withMessage("bundle demo version 1: drift repaired from the verified revision (" + marker + ")")
                .withFirstTimestamp("2026-12-03T10:00:00Z")
                .withLastTimestamp("2026-12-03T10:00:00Z")
                .withCount(1)
                .withNewSource()
                .withComponent("confext-agent")
                .withHost(NODE_A)
                .endSource()
                .build();
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
