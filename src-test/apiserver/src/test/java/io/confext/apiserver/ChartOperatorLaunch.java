package io.confext.apiserver;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the Helm chart runs the operator, read back from the Deployment that {@code helm install}
 * created (so the benchmark runs the operator exactly as configured by the chart, not by a copy of
 * it): the container's environment, with the downward-API fields a kubelet would fill in, its
 * service account, and its memory limit.
 *
 * @param env                the container environment (fieldRefs resolved for the given pod)
 * @param serviceAccount     the pod's service account
 * @param memoryLimitBytes   the container's memory limit, 0 when none
 */
record ChartOperatorLaunch(Map<String, String> env, String serviceAccount, long memoryLimitBytes) {

    static ChartOperatorLaunch from(Deployment deployment, String podName) {
        String namespace = deployment.getMetadata().getNamespace();
        Container c = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(x -> "operator".equals(x.getName()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the chart's Deployment has no container named operator"));
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : c.getEnv()) {
            if (v.getValue() != null) {
                env.put(v.getName(), v.getValue());
            } else if (v.getValueFrom() != null && v.getValueFrom().getFieldRef() != null) {
                String field = v.getValueFrom().getFieldRef().getFieldPath();
                env.put(
                        v.getName(),
                        switch (field) {
                            case "metadata.namespace" -> namespace;
                            case "metadata.name" -> podName;
                            default ->
                                throw new IllegalStateException(
                                        "no downward-API value for " + field + " (env " + v.getName() + ")");
                        });
            } else {
                throw new IllegalStateException(
                        "env " + v.getName() + " of the chart's operator has a source the benchmark cannot fill");
            }
        }
        Quantity limit = c.getResources() == null || c.getResources().getLimits() == null
                ? null
                : c.getResources().getLimits().get("memory");
        long bytes = limit == null ? 0 : Quantity.getAmountInBytes(limit).longValueExact();
        return new ChartOperatorLaunch(
                Map.copyOf(env), deployment.getSpec().getTemplate().getSpec().getServiceAccountName(), bytes);
    }

    /**
     * What the container's cgroup memory limit does to the JVM, made explicit outside a cgroup:
     * MaxRAM = the limit (the default max heap is 1/4 of it), and SerialGC, which the JVM picks by
     * itself when it sees less than 1792 MiB. The chart's own JVM flags ({@code JAVA_TOOL_OPTIONS},
     * with {@code MALLOC_ARENA_MAX}) are in {@link #env()} and reach the JVM from there, as in the
     * pod; an explicit -Xmx among them overrides the 1/4 default.
     */
    List<String> jvmFlags() {
        List<String> flags = new ArrayList<>();
        if (memoryLimitBytes > 0) {
            flags.add("-XX:MaxRAM=" + memoryLimitBytes);
            if (memoryLimitBytes < 1792L << 20) {
                flags.add("-XX:+UseSerialGC");
            }
        }
        return flags;
    }
}
