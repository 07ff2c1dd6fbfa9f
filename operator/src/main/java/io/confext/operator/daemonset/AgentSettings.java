package io.confext.operator.daemonset;

import io.confext.operator.ConfextConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent DaemonSet's settings as plain values (JSON strings as the chart hands them over).
 * {@code requireSignedImages} is the cluster-wide signature requirement (chart value
 * policy.requireSignedImages), passed to every agent as CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES.
 */
public record AgentSettings(
        String namespace,
        String name,
        String image,
        String imagePullPolicy,
        String serviceAccount,
        Optional<String> priorityClassName,
        String tolerationsJson,
        String nodeSelectorJson,
        String resourcesJson,
        Optional<String> podTemplateJson,
        boolean requireSignedImages) {
    public AgentSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
    }

    public static AgentSettings from(ConfextConfig c) {
        var a = c.agent();
        return new AgentSettings(
                c.operator().namespace(),
                a.daemonSetName(),
                a.image(),
                a.imagePullPolicy(),
                a.serviceAccount(),
                a.priorityClassName(),
                a.tolerations(),
                a.nodeSelector(),
                a.resources(),
                a.podTemplate(),
                a.requireSignedImages());
    }
}
