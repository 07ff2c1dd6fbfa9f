package io.confext.operator.daemonset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentDaemonSetTest {
    static AgentSettings settings(String image, Optional<String> template) {
        return new AgentSettings(
                "confext-system",
                "confext-agent",
                image,
                "IfNotPresent",
                "confext-agent",
                Optional.of("system-node-critical"),
                "[{\"operator\":\"Exists\"}]",
                "{\"kubernetes.io/os\":\"linux\"}",
                "{\"requests\":{\"cpu\":\"20m\",\"memory\":\"128Mi\"},\"limits\":{\"memory\":\"320Mi\"}}",
                template,
                false,
                AgentSettings.Disk.DEFAULTS);
    }

    @Test
    void builtInTemplateIsPrivilegedWithHostPidAndTheConfiguredSettings() {
        DaemonSet ds = AgentDaemonSet.desired(settings("registry/agent:1.2", Optional.empty()));
        var pod = ds.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry/agent:1.2");
        assertThat(c.getSecurityContext().getPrivileged()).isTrue();
        assertThat(pod.getHostPID()).isTrue();
        assertThat(pod.getTolerations())
                .singleElement()
                .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"));
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("320Mi"));
        assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("NODE_NAME"));
        assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void chartTemplateIsKeptAndOnlyConfiguredFieldsChange() {
        String template = """
                {"metadata":{"labels":{"team":"platform"}},
                 "spec":{"hostPID":true,"containers":[
                   {"name":"agent","image":"old","env":[{"name":"QUARKUS_LOG_LEVEL","value":"DEBUG"}]},
                   {"name":"sidecar","image":"busybox"}]}}""";
        DaemonSet ds = AgentDaemonSet.desired(settings("new:2", Optional.of(template)));
        var containers = ds.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).extracting(Container::getName).containsExactly("agent", "sidecar");
        assertThat(containers.get(0).getImage()).isEqualTo("new:2");
        assertThat(containers.get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getValue()).isEqualTo("DEBUG"));
        assertThat(containers.get(1).getImage()).isEqualTo("busybox");
        assertThat(ds.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "platform");
    }

    @Test
    void signatureRequirementReachesTheAgentFromEitherTemplate() {
        String template = """
                {"spec":{"containers":[{"name":"agent","env":[{"name":"CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES","value":"false"}]}]}}""";
        for (Optional<String> t : List.of(Optional.<String>empty(), Optional.of(template))) {
            AgentSettings base = settings("img", t);
            AgentSettings strict = new AgentSettings(
                    base.namespace(),
                    base.name(),
                    base.image(),
                    base.imagePullPolicy(),
                    base.serviceAccount(),
                    base.priorityClassName(),
                    base.tolerationsJson(),
                    base.nodeSelectorJson(),
                    base.resourcesJson(),
                    t,
                    true,
                    base.disk());
            var env = AgentDaemonSet.desired(strict)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv();
            assertThat(env)
                    .filteredOn(e -> e.getName().equals(AgentDaemonSet.REQUIRE_SIGNED_IMAGES_ENV))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getValue()).isEqualTo("true"));
        }
    }

    @Test
    void diskBoundsReachTheAgentFromEitherTemplate() {
        String template = """
                {"spec":{"containers":[{"name":"agent","env":[
                  {"name":"CONFEXT_AGENT_DISK_MIN_FREE_BYTES","value":"1"},
                  {"name":"QUARKUS_LOG_LEVEL","value":"INFO"}]}]}}""";
        for (Optional<String> t : List.of(Optional.<String>empty(), Optional.of(template))) {
            AgentSettings base = settings("img", t);
            AgentSettings tight = new AgentSettings(
                    base.namespace(),
                    base.name(),
                    base.image(),
                    base.imagePullPolicy(),
                    base.serviceAccount(),
                    base.priorityClassName(),
                    base.tolerationsJson(),
                    base.nodeSelectorJson(),
                    base.resourcesJson(),
                    t,
                    false,
                    new AgentSettings.Disk(536_870_912L, 0L));
            var env = AgentDaemonSet.desired(tight)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv();
            assertThat(env)
                    .filteredOn(e -> e.getName().equals(AgentDaemonSet.DISK_MIN_FREE_BYTES_ENV))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getValue()).isEqualTo("536870912"));
            assertThat(env)
                    .filteredOn(e -> e.getName().equals(AgentDaemonSet.DISK_MAX_VERSIONS_BYTES_ENV))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getValue()).isEqualTo("0"));
            if (t.isPresent()) {
                assertThat(env).anySatisfy(e -> assertThat(e.getName()).isEqualTo("QUARKUS_LOG_LEVEL"));
            }
        }
        // the defaults are the agent's own (AgentConfig) and the chart's (values.yaml agent.disk)
        var env = AgentDaemonSet.desired(settings("img", Optional.empty()))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv();
        assertThat(env)
                .filteredOn(e -> e.getName().startsWith("CONFEXT_AGENT_DISK_"))
                .extracting(e -> e.getName() + "=" + e.getValue())
                .containsExactlyInAnyOrder(
                        "CONFEXT_AGENT_DISK_MIN_FREE_BYTES=134217728",
                        "CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES=4294967296");
    }

    @Test
    void negativeDiskBoundsAreNamed() {
        assertThatThrownBy(() -> new AgentSettings.Disk(-1, 0))
                .hasMessageContaining("confext.agent.disk-min-free-bytes");
        assertThatThrownBy(() -> new AgentSettings.Disk(0, -5))
                .hasMessageContaining("confext.agent.disk-max-versions-bytes");
    }

    @Test
    void badJsonIsNamedInTheError() {
        var bad = new AgentSettings(
                "ns",
                "a",
                "img",
                "Always",
                "sa",
                Optional.empty(),
                "[{",
                "{}",
                "{}",
                Optional.empty(),
                false,
                AgentSettings.Disk.DEFAULTS);
        assertThatThrownBy(() -> AgentDaemonSet.desired(bad)).hasMessageContaining("confext.agent.tolerations");
    }

    @Test
    void upToDateOnlyWhenSettingsStoredSpecAndOwnerAllAgree() {
        DaemonSet desired = AgentDaemonSet.desired(settings("agent:1", Optional.empty()));
        DaemonSet stored = io.fabric8.kubernetes.client.utils.Serialization.clone(desired);
        // the server fills in defaults: the stored spec differs from the desired one without anyone editing it
        stored.getSpec().getTemplate().getSpec().setDnsPolicy("ClusterFirst");
        stored.getMetadata().getAnnotations().put(AgentDaemonSet.STORED_SPEC_HASH, AgentDaemonSet.specHash(stored));
        stored.getMetadata()
                .setOwnerReferences(
                        List.of(new OwnerReferenceBuilder().withUid("op-uid").build()));
        assertThat(AgentDaemonSet.upToDate(stored, desired, "op-uid"))
                .as("defaulted but untouched")
                .isTrue();

        assertThat(AgentDaemonSet.upToDate(stored, desired, "other-uid"))
                .as("not owned by this operator yet")
                .isFalse();
        assertThat(AgentDaemonSet.upToDate(
                        stored, AgentDaemonSet.desired(settings("agent:2", Optional.empty())), "op-uid"))
                .as("new settings")
                .isFalse();
        stored.getSpec().getTemplate().getSpec().setHostPID(false);
        assertThat(AgentDaemonSet.upToDate(stored, desired, "op-uid"))
                .as("edited after the operator's write")
                .isFalse();
    }
}
