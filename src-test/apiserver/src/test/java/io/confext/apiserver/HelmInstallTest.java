package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code helm install} of the chart succeeds on a real API server (CRDs from the chart's crds/,
 * RBAC, the admission policy, the operator Deployment), and the real RBAC authorizer grants the
 * operator and the agent exactly what the chart promises.
 */
@RealApiServerTest
class HelmInstallTest {

    private static final String NS = "confext-system";
    private static Release release;

    @BeforeAll
    static void install(ApiServer server) {
        release = ChartInstaller.install(server, "confext-operator", NS);
    }

    @Test
    void installSucceedsAndCreatesTheChartsObjects(ApiServer server) {
        assertThat(release.getStatus()).isEqualTo("deployed");
        KubernetesClient client = server.admin();
        assertThat(client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("confextbundles.confext.io")
                        .get())
                .isNotNull();
        assertThat(client.apps()
                        .deployments()
                        .inNamespace(NS)
                        .withName("confext-operator")
                        .get())
                .isNotNull();
        assertThat(client.serviceAccounts()
                        .inNamespace(NS)
                        .withName("confext-operator-agent")
                        .get())
                .isNotNull();
        assertThat(client.rbac()
                        .clusterRoles()
                        .withName("confext-operator-agent")
                        .get())
                .isNotNull();
        assertThat(client.admissionRegistration()
                        .v1()
                        .validatingAdmissionPolicies()
                        .withName("confext-operator-agent-own-node")
                        .get())
                .isNotNull();
        assertThat(client.admissionRegistration()
                        .v1()
                        .validatingAdmissionPolicyBindings()
                        .withName("confext-operator-agent-own-node")
                        .get())
                .isNotNull();
        assertThat(client.admissionRegistration()
                        .v1()
                        .validatingAdmissionPolicies()
                        .withName("confext-operator-bundles")
                        .get())
                .isNotNull();
        assertThat(client.genericKubernetesResources("confext.io/v1alpha1", "ConfextBundlePolicy")
                        .withName("confext-operator")
                        .get())
                .as("the bundle policy's parameter")
                .isNotNull();
    }

    @Test
    void agentRbacIsReadNodesWriteStatusReadRevisionsAndTheTrustSecret(ApiServer server) {
        Access agent = new Access(server.admin(), NS, "confext-operator-agent");
        assertThat(agent.allowed("watch", "confext.io", "confextnodes", "", "", ""))
                .isTrue();
        assertThat(agent.allowed("update", "confext.io", "confextnodes", "status", "", "node-a"))
                .isTrue();
        assertThat(agent.allowed("update", "confext.io", "confextnodes", "", "", "node-a"))
                .as("spec is the operator's")
                .isFalse();
        assertThat(agent.allowed("patch", "confext.io", "confextnodes", "", "", "node-a"))
                .isFalse();
        assertThat(agent.allowed("create", "confext.io", "confextnodes", "", "", ""))
                .isFalse();
        assertThat(agent.allowed("delete", "confext.io", "confextnodes", "", "", "node-a"))
                .isFalse();
        assertThat(agent.allowed("get", "confext.io", "confextbundles", "", "", "chrony"))
                .isFalse();
        assertThat(agent.allowed("get", "apps", "controllerrevisions", "", NS, "chrony-1"))
                .isTrue();
        assertThat(agent.allowed("list", "apps", "controllerrevisions", "", NS, ""))
                .isFalse();
        assertThat(agent.allowed("get", "apps", "controllerrevisions", "", "default", "chrony-1"))
                .isFalse();
        assertThat(agent.allowed("get", "", "secrets", "", NS, "confext-trust"))
                .as("certificates come frozen in revisions")
                .isFalse();
        assertThat(agent.allowed("get", "", "secrets", "", NS, "other")).isFalse();
        assertThat(agent.allowed("list", "", "secrets", "", NS, "")).isFalse();
        assertThat(agent.allowed("get", "", "nodes", "", "", "node-a")).isFalse();
    }

    @Test
    void operatorRbacCoversWhatItManagesAndNoMore(ApiServer server) {
        Access operator = new Access(server.admin(), NS, "confext-operator");
        assertThat(operator.allowed("watch", "confext.io", "confextbundles", "", "", ""))
                .isTrue();
        assertThat(operator.allowed("patch", "confext.io", "confextbundles", "status", "", "chrony"))
                .isTrue();
        assertThat(operator.allowed("create", "confext.io", "confextbundles", "", "", ""))
                .isFalse();
        assertThat(operator.allowed("create", "confext.io", "confextnodes", "", "", ""))
                .isTrue();
        assertThat(operator.allowed("update", "confext.io", "confextnodes", "status", "", "node-a"))
                .as("status is the agents'")
                .isFalse();
        assertThat(operator.allowed("list", "", "nodes", "", "", "")).isTrue();
        assertThat(operator.allowed("update", "", "nodes", "", "", "node-a")).isFalse();
        assertThat(operator.allowed("create", "apps", "controllerrevisions", "", NS, ""))
                .isTrue();
        assertThat(operator.allowed("create", "apps", "controllerrevisions", "", "default", ""))
                .isFalse();
        assertThat(operator.allowed("patch", "apps", "daemonsets", "", NS, "confext-operator-agent"))
                .isTrue();
        assertThat(operator.allowed("patch", "apps", "daemonsets", "", NS, "something-else"))
                .isFalse();
        assertThat(operator.allowed("update", "coordination.k8s.io", "leases", "", NS, "confext-operator-leader"))
                .isTrue();
        assertThat(operator.allowed("update", "coordination.k8s.io", "leases", "", NS, "kube-scheduler"))
                .isFalse();
        assertThat(operator.allowed("create", "", "events", "", "default", "")).isTrue();
        assertThat(operator.allowed("get", "", "secrets", "", NS, "confext-trust"))
                .as("trust Secrets of its own namespace")
                .isTrue();
        assertThat(operator.allowed("get", "", "secrets", "", "platform", "confext-trust"))
                .as("no Secret elsewhere")
                .isFalse();
        assertThat(operator.allowed("list", "", "secrets", "", NS, ""))
                .as("by name only")
                .isFalse();
        assertThat(operator.allowed("get", "", "configmaps", "", NS, "chrony")).isTrue();
        assertThat(operator.allowed("get", "", "configmaps", "", "platform", "chrony"))
                .as("not in operator.sourceNamespaces")
                .isFalse();
        assertThat(operator.allowed("create", "", "pods", "", NS, "")).isFalse();
    }
}
