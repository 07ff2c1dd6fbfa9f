package io.confext.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Map;
import java.util.stream.Collectors;

/** The security shape every agent pod must have, whoever renders it (the chart or the operator). */
final class AgentPodAssertions {

    /**
     * Host paths mounted into the agent: none. It reaches every host file through /proc/1/root (hostPID), so
     * a hostPath would only be a second, unused way in.
     */
    static final Map<String, String> AGENT_HOST_PATHS = Map.of();

    private AgentPodAssertions() {}

    static void assertAgentPod(PodTemplateSpec template, String serviceAccount) {
        PodSpec pod = template.getSpec();
        assertThat(pod.getHostPID()).as("agent hostPID").isTrue();
        assertThat(pod.getHostNetwork())
                .as("agent on the host network: independent of the pod network it may configure")
                .isTrue();
        assertThat(pod.getDnsPolicy()).as("agent DNS policy with hostNetwork").isEqualTo("ClusterFirstWithHostNet");
        assertThat(pod.getHostIPC()).as("agent needs no host IPC").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getServiceAccountName()).isEqualTo(serviceAccount);
        assertThat(pod.getContainers()).hasSize(1);
        Container agent = pod.getContainers().get(0);
        assertThat(agent.getSecurityContext().getPrivileged())
                .as("agent privileged")
                .isTrue();

        Map<String, String> hostPaths = pod.getVolumes().stream()
                .filter(v -> v.getHostPath() != null)
                .collect(Collectors.toMap(
                        v -> v.getHostPath().getPath(), v -> v.getHostPath().getType()));
        assertThat(hostPaths).as("agent host paths").isEqualTo(AGENT_HOST_PATHS);
        // Every host path is mounted at the same path inside the container.
        for (Volume volume : pod.getVolumes()) {
            if (volume.getHostPath() != null) {
                assertThat(agent.getVolumeMounts()).anySatisfy(m -> {
                    assertThat(m.getName()).isEqualTo(volume.getName());
                    assertThat(m.getMountPath()).isEqualTo(volume.getHostPath().getPath());
                });
            }
        }

        assertThat(pod.getVolumes())
                .as("agent volumes: an emptyDir for /tmp only")
                .singleElement()
                .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());

        EnvVar nodeName = agent.getEnv().stream()
                .filter(e -> e.getName().equals("NODE_NAME"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("agent has no NODE_NAME"));
        assertThat(nodeName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    }

    /** Operator-side and other non-agent pods: no host access at all. */
    static void assertUnprivileged(PodSpec pod, String what) {
        assertThat(pod.getHostPID()).as(what + " hostPID").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostNetwork()).as(what + " hostNetwork").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).as(what + " hostIPC").isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getVolumes())
                .as(what + " volumes")
                .allSatisfy(v -> assertThat(v.getHostPath()).isNull());
        for (Container c : pod.getContainers()) {
            assertThat(c.getSecurityContext().getPrivileged())
                    .as(what + " privileged")
                    .isNotEqualTo(Boolean.TRUE);
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation())
                    .as(what + " privilege escalation")
                    .isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop())
                    .as(what + " dropped capabilities")
                    .containsExactly("ALL");
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
                    .as(what + " read-only root")
                    .isTrue();
        }
        assertThat(pod.getSecurityContext().getRunAsNonRoot())
                .as(what + " runAsNonRoot")
                .isTrue();
    }
}
