package io.confext.operator.cache;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.RevisionRef;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator's informer caches keep of each object ({@link TrimmingItemStore}): what the
 * reconcilers read, nothing else. Measured at 2,000 nodes x 20 bundles (BENCHMARKS.md,
 * OperatorFleetBenchmark) the caches held most of the operator's live heap, above all in
 * {@code managedFields}. The operator never reads {@code managedFields} of a cached object: its
 * server-side applies (bundle status, finalizers) send fresh objects, its node entries are JSON
 * patches; the agent DaemonSet's informer, whose SSA matching does read them, is not trimmed.
 *
 * <p>Strings that are the same on every node (bundle and revision names, digests, versions,
 * reasons, label keys and values) are interned, so 2,000 nodes share one copy instead of holding
 * 2,000; {@link String#intern()} lets unreferenced ones be collected.
 */
public final class CacheTrim {
    private static final String JOSDK_ANNOTATIONS = "javaoperatorsdk.io/";

    private CacheTrim() {}

    /**
     * Any kind: drops {@code metadata.managedFields}. Left an empty list, not null, as a deserialised
     * object without them has it (fabric8 and JOSDK code read it without a null check).
     */
    public static void managedFields(HasMetadata resource) {
        if (resource.getMetadata() != null) {
            resource.getMetadata().setManagedFields(List.of());
        }
    }

    /**
     * A Node: the operator reads its name and uid ({@code NodeReconciler}, for the ConfextNode's
     * owner reference) and its labels ({@code BundleReconciler}, for a bundle's nodeSelector); the
     * informer and JOSDK need its resourceVersion, generation, deletion timestamp, finalizers and
     * JOSDK's own annotations (its event sources read the annotation map of every object, so it
     * stays a map). Spec, status (images, conditions, addresses: the bulk of a real Node), the other
     * annotations and managedFields go.
     */
    public static void node(Node node) {
        ObjectMeta m = node.getMetadata();
        if (m != null) {
            m.setManagedFields(List.of());
            m.setAnnotations(josdkAnnotations(m.getAnnotations()));
            m.setLabels(interned(m.getLabels()));
        }
        node.setSpec(null);
        node.setStatus(null);
    }

    /**
     * A ConfextNode where only its existence matters ({@code NodeReconciler}): metadata
     * without labels, annotations other than JOSDK's and managedFields; no spec, no status.
     */
    public static void identity(ConfextNode cxn) {
        ObjectMeta m = cxn.getMetadata();
        if (m != null) {
            m.setManagedFields(List.of());
            m.setLabels(null);
            m.setAnnotations(josdkAnnotations(m.getAnnotations()));
        }
        cxn.setSpec(null);
        cxn.setStatus(null);
    }

    /**
     * A ConfextNode: the operator reads its spec's bundle entries and, of its status, the Ready
     * condition, the host facts eligibility needs (confext, refreshOnReload, systemdVersion:
     * {@code NodeEligibility}) and each bundle's name, phase, revision, digest, since, reason and
     * message ({@code NodeViews}, {@code NodeEntryWriter}). The other host facts and each bundle's
     * unit list (written by the agent for people and tools) and managedFields go.
     */
    public static void confextNode(ConfextNode cxn) {
        managedFields(cxn);
        if (cxn.getSpec() != null && cxn.getSpec().getBundles() != null) {
            for (DesiredBundle d : cxn.getSpec().getBundles()) {
                d.setName(intern(d.getName()));
                d.setVersion(intern(d.getVersion()));
                RevisionRef r = d.getRevision();
                if (r != null) {
                    r.setName(intern(r.getName()));
                    r.setNamespace(intern(r.getNamespace()));
                    r.setDigest(intern(r.getDigest()));
                }
            }
        }
        var status = cxn.getStatus();
        if (status != null) {
            HostFacts host = status.getHost();
            if (host != null) {
                HostFacts kept = new HostFacts();
                kept.setConfext(host.getConfext());
                kept.setRefreshOnReload(host.getRefreshOnReload());
                kept.setSystemdVersion(host.getSystemdVersion());
                status.setHost(kept);
            }
            if (status.getConditions() != null) {
                for (Condition c : status.getConditions()) {
                    c.setType(intern(c.getType()));
                    c.setStatus(intern(c.getStatus()));
                    c.setReason(intern(c.getReason()));
                }
            }
            if (status.getBundles() != null) {
                for (BundleState s : status.getBundles()) {
                    s.setUnits(null);
                    s.setName(intern(s.getName()));
                    s.setRevision(intern(s.getRevision()));
                    s.setDigest(intern(s.getDigest()));
                    s.setDesiredVersion(intern(s.getDesiredVersion()));
                    s.setActiveVersion(intern(s.getActiveVersion()));
                    s.setReason(intern(s.getReason()));
                }
            }
        }
    }

    private static Map<String, String> josdkAnnotations(Map<String, String> annotations) {
        if (annotations == null || annotations.keySet().stream().noneMatch(k -> k.startsWith(JOSDK_ANNOTATIONS))) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        annotations.forEach((k, v) -> {
            if (k.startsWith(JOSDK_ANNOTATIONS)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String intern(String s) {
        return s == null ? null : s.intern();
    }

    private static Map<String, String> interned(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return labels;
        }
        Map<String, String> out = new LinkedHashMap<>(labels.size() * 4 / 3 + 1);
        labels.forEach((k, v) -> out.put(intern(k), intern(v)));
        return out;
    }
}
