package io.confext.operator.daemonset;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The desired node-agent DaemonSet, built from the operator's settings. Pure. It starts from the
 * chart's pod template when given (so the chart stays the one place that says how privileged the
 * agent is), else from a built-in one (privileged, host PID namespace, NODE_NAME from the
 * downward API); then sets image, pull policy, service account, priority class, tolerations, node
 * selector and resources. The annotation {@value #SPEC_HASH} lets {@link #upToDate} see drift cheaply.
 *
 * <p>Why two hashes: the API server fills in defaults (dnsPolicy, schedulerName, ...), so the
 * stored spec never equals the desired one and comparing them would rewrite the DaemonSet on every
 * reconcile. The desired hash ({@value #SPEC_HASH}) says which settings were written; the stored
 * hash ({@value #STORED_SPEC_HASH}) is the hash of the spec exactly as the server returned it after
 * that write, so any later edit of the stored spec is drift.
 */
public final class AgentDaemonSet {
    public static final String SPEC_HASH = "confext.io/spec-hash";
    public static final String STORED_SPEC_HASH = "confext.io/stored-spec-hash";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String CONTAINER = "agent";
    /** The agent's confext.agent.require-signed-images. */
    public static final String REQUIRE_SIGNED_IMAGES_ENV = "CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES";
    /** The agent's confext.agent.disk-min-free-bytes. */
    public static final String DISK_MIN_FREE_BYTES_ENV = "CONFEXT_AGENT_DISK_MIN_FREE_BYTES";
    /** The agent's confext.agent.disk-max-versions-bytes. */
    public static final String DISK_MAX_VERSIONS_BYTES_ENV = "CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES";

    private AgentDaemonSet() {}

    public static DaemonSet desired(AgentSettings s) {
        PodTemplateSpec template = s.podTemplateJson()
                .map(j -> parse("confext.agent.pod-template", j, PodTemplateSpec.class))
                .orElseGet(AgentDaemonSet::builtInTemplate);
        Map<String, String> selector =
                Map.of("app.kubernetes.io/name", "confext-agent", "app.kubernetes.io/instance", s.name());
        Map<String, String> labels = new LinkedHashMap<>(
                template.getMetadata() == null || template.getMetadata().getLabels() == null
                        ? Map.of()
                        : template.getMetadata().getLabels());
        labels.putAll(selector);
        List<Toleration> tolerations =
                parse("confext.agent.tolerations", s.tolerationsJson(), new TypeReference<List<Toleration>>() {});
        Map<String, String> nodeSelector =
                parse("confext.agent.node-selector", s.nodeSelectorJson(), new TypeReference<Map<String, String>>() {});
        ResourceRequirements resources =
                parse("confext.agent.resources", s.resourcesJson(), ResourceRequirements.class);

        PodTemplateSpecBuilder tb = new PodTemplateSpecBuilder(template)
                .editOrNewMetadata()
                .withLabels(labels)
                .endMetadata();
        var spec = tb.editOrNewSpec()
                .withServiceAccountName(s.serviceAccount())
                .withTolerations(tolerations)
                .withNodeSelector(nodeSelector);
        s.priorityClassName().filter(p -> !p.isBlank()).ifPresent(spec::withPriorityClassName);
        List<Container> containers =
                template.getSpec() == null || template.getSpec().getContainers() == null
                        ? List.of()
                        : template.getSpec().getContainers();
        if (containers.isEmpty()) {
            throw new IllegalArgumentException(
                    "confext.agent.pod-template has no container; it needs one named \"" + CONTAINER + "\"");
        }
        Container agent = containers.stream()
                .filter(c -> CONTAINER.equals(c.getName()))
                .findFirst()
                .orElse(containers.get(0));
        // The signature requirement and the disk bounds are set here, not only in the chart's template, so an
        // agent the operator builds from its built-in template has them too; they replace any value the template has.
        Map<String, String> own = new LinkedHashMap<>();
        own.put(REQUIRE_SIGNED_IMAGES_ENV, Boolean.toString(s.requireSignedImages()));
        own.put(DISK_MIN_FREE_BYTES_ENV, Long.toString(s.disk().minFreeBytes()));
        own.put(DISK_MAX_VERSIONS_BYTES_ENV, Long.toString(s.disk().maxVersionsBytes()));
        List<EnvVar> env = new ArrayList<>(agent.getEnv() == null ? List.of() : agent.getEnv());
        env.removeIf(e -> own.containsKey(e.getName()));
        own.forEach((k, v) -> env.add(new EnvVar(k, v, null)));
        Container updated = new ContainerBuilder(agent)
                .withImage(s.image())
                .withImagePullPolicy(s.imagePullPolicy())
                .withResources(resources)
                .withEnv(env)
                .build();
        spec.withContainers(
                containers.stream().map(c -> c == agent ? updated : c).toList());
        PodTemplateSpec finalTemplate = spec.endSpec().build();

        DaemonSet ds = new DaemonSetBuilder()
                .withNewMetadata()
                .withName(s.name())
                .withNamespace(s.namespace())
                .addToLabels(selector)
                .addToLabels(MANAGED_BY, "confext-operator")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                .withTemplate(finalTemplate)
                // One node at a time (issue 6, and the chart's own DaemonSet): an agent restart never leaves several
                // nodes unmanaged.
                .withNewUpdateStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withNewMaxUnavailable(1)
                .endRollingUpdate()
                .endUpdateStrategy()
                .endSpec()
                .build();
        ds.getMetadata().getAnnotations().put(SPEC_HASH, hash(Serialization.asJson(ds.getSpec())));
        return ds;
    }

    /**
     * Whether the stored DaemonSet needs no write: it carries the desired settings' hash, its spec is
     * the one recorded after the operator's last write (nobody edited it), and it is owned by the
     * operator's Deployment (one created before the operator owned it is adopted by the next write).
     */
    public static boolean upToDate(DaemonSet actual, DaemonSet desired, String ownerUid) {
        Map<String, String> ann = actual.getMetadata().getAnnotations();
        if (ann == null) {
            return false;
        }
        boolean settingsSame =
                Objects.equals(desired.getMetadata().getAnnotations().get(SPEC_HASH), ann.get(SPEC_HASH));
        boolean storedUntouched = specHash(actual).equals(ann.get(STORED_SPEC_HASH));
        boolean owned = actual.getMetadata().getOwnerReferences() != null
                && actual.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> Objects.equals(ownerUid, o.getUid()));
        return settingsSame && storedUntouched && owned;
    }

    public static String specHash(DaemonSet ds) {
        return hash(Serialization.asJson(ds.getSpec()));
    }

    static PodTemplateSpec builtInTemplate() {
        return new PodTemplateSpecBuilder()
                .withNewSpec()
                .withHostPID(true)
                .withTerminationGracePeriodSeconds(30L)
                .addNewContainer()
                .withName(CONTAINER)
                .withNewSecurityContext()
                .withPrivileged(true)
                .withRunAsUser(0L)
                .withReadOnlyRootFilesystem(true)
                .endSecurityContext()
                .withEnv(new EnvVarBuilder()
                        .withName("NODE_NAME")
                        .withNewValueFrom()
                        .withNewFieldRef()
                        .withFieldPath("spec.nodeName")
                        .endFieldRef()
                        .endValueFrom()
                        .build())
                .endContainer()
                .endSpec()
                .build();
    }

    private static <T> T parse(String key, String json, Class<T> type) {
        try {
            return Serialization.unmarshal(json, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    key + " is not valid JSON for " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static <T> T parse(String key, String json, TypeReference<T> type) {
        try {
            return Serialization.jsonMapper().readValue(json, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException(key + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static String hash(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
