package io.confext.operator.daemonset;

import io.confext.operator.ConfextConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent DaemonSet's settings as plain values (JSON strings as the chart hands them over).
 * {@code requireSignedImages} is the cluster-wide signature requirement (chart value
 * policy.requireSignedImages), passed to every agent as CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES; {@code disk} the
 * agents' disk bounds (chart values agent.disk.*), passed as CONFEXT_AGENT_DISK_*.
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
        boolean requireSignedImages,
        Disk disk) {
    public AgentSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(disk, "disk");
    }

    /**
     * The agents' disk bounds.
     *
     * @param minFreeBytes     bytes an agent leaves free on its state directory's file system
     * @param maxVersionsBytes bytes the kept and quarantined versions on a node may use together; 0: no cap
     */
    public record Disk(long minFreeBytes, long maxVersionsBytes) {
        /** The chart's and the agent's defaults: 128 MiB free, a 4 GiB cap. */
        public static final Disk DEFAULTS = new Disk(134_217_728L, 4_294_967_296L);

        public Disk {
            if (minFreeBytes < 0) {
                throw new IllegalArgumentException(
                        "confext.agent.disk-min-free-bytes must be >= 0 bytes, got " + minFreeBytes);
            }
            if (maxVersionsBytes < 0) {
                throw new IllegalArgumentException(
                        "confext.agent.disk-max-versions-bytes must be >= 0 bytes (0: no cap), got "
                                + maxVersionsBytes);
            }
        }
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
                a.requireSignedImages(),
                new Disk(a.diskMinFreeBytes(), a.diskMaxVersionsBytes()));
    }
}
