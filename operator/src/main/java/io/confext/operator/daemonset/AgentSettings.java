package io.confext.operator.daemonset;

import io.confext.operator.ConfextConfig;
import java.util.Objects;
import java.util.Optional;

/** The agent DaemonSet's settings as plain values (JSON strings as the chart hands them over). */
public record AgentSettings(String namespace, String name, String image, String imagePullPolicy, String serviceAccount,
                            Optional<String> priorityClassName, String tolerationsJson, String nodeSelectorJson,
                            String resourcesJson, Optional<String> podTemplateJson) {
    public AgentSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
    }

    public static AgentSettings from(ConfextConfig c) {
        var a = c.agent();
        return new AgentSettings(c.operator().namespace(), a.daemonSetName(), a.image(), a.imagePullPolicy(), a.serviceAccount(),
                a.priorityClassName(), a.tolerations(), a.nodeSelector(), a.resources(), a.podTemplate());
    }
}
