package io.confext.operator.node;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.operator.rollout.Assignment;
import io.confext.operator.rollout.HostKind;
import io.confext.operator.rollout.NodeEligibility;
import io.confext.operator.rollout.NodePhase;
import io.confext.operator.rollout.NodeView;
import io.confext.operator.rollout.Observation;
import io.confext.operator.rollout.RevisionTarget;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Maps the API objects of one node onto the planner's {@link NodeView} for one bundle. */
public final class NodeViews {
    private NodeViews() {}

    public static NodeView of(String bundle, Map<String, String> selector, ConfextNode cxn, Node node) {
        return of(bundle, selector, null, null, cxn, node);
    }

    /** With the bundle's scope and reload mode, for what the host can run ({@link NodeEligibility}). */
    public static NodeView of(
            String bundle, Map<String, String> selector, Scope scope, ReloadMode reload, ConfextNode cxn, Node node) {
        return of(bundle, selector, scope, reload, null, cxn, node);
    }

    /** @param canarySelector the bundle's {@code rollout.canary.nodeSelector}, or null */
    public static NodeView of(
            String bundle,
            Map<String, String> selector,
            Scope scope,
            ReloadMode reload,
            LabelSelector canarySelector,
            ConfextNode cxn,
            Node node) {
        boolean matches = node != null && matches(selector, node.getMetadata().getLabels());
        boolean canary = node != null
                && canarySelector != null
                && LabelSelectors.matches(canarySelector, node.getMetadata().getLabels());
        return new NodeView(
                cxn.getMetadata().getName(),
                matches,
                agentReady(cxn),
                desired(cxn, bundle),
                NodeEligibility.of(host(cxn), scope, reload),
                observed(cxn, bundle),
                canary,
                hostKind(cxn));
    }

    static HostKind hostKind(ConfextNode cxn) {
        HostFacts h = cxn.getStatus() == null ? null : cxn.getStatus().getHost();
        return h == null ? null : HostKind.of(h.getArchitecture(), h.getOsId(), h.getOsVersionId());
    }

    /** The bundle's canary node selector, if it has one. */
    public static LabelSelector canarySelector(ConfextBundleSpec spec) {
        var r = spec.getRollout();
        return r == null || r.getCanary() == null ? null : r.getCanary().getNodeSelector();
    }

    static NodeEligibility.Host host(ConfextNode cxn) {
        HostFacts h = cxn.getStatus() == null ? null : cxn.getStatus().getHost();
        return h == null
                ? null
                : new NodeEligibility.Host(h.getConfext(), h.getRefreshOnReload(), h.getSystemdVersion());
    }

    public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        if (labels == null) {
            return false;
        }
        for (var e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    public static boolean agentReady(ConfextNode cxn) {
        var st = cxn.getStatus();
        if (st == null || st.getConditions() == null) {
            return false;
        }
        for (var c : st.getConditions()) {
            if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    public static DesiredBundle desiredEntry(ConfextNode cxn, String bundle) {
        if (cxn.getSpec() == null || cxn.getSpec().getBundles() == null) {
            return null;
        }
        // loops, not streams: called for every node of a bundle on every reconcile
        for (DesiredBundle b : cxn.getSpec().getBundles()) {
            if (bundle.equals(b.getName())) {
                return b;
            }
        }
        return null;
    }

    public static BundleState statusEntry(ConfextNode cxn, String bundle) {
        if (cxn.getStatus() == null || cxn.getStatus().getBundles() == null) {
            return null;
        }
        for (BundleState b : cxn.getStatus().getBundles()) {
            if (bundle.equals(b.getName())) {
                return b;
            }
        }
        return null;
    }

    static Assignment desired(ConfextNode cxn, String bundle) {
        DesiredBundle d = desiredEntry(cxn, bundle);
        if (d == null
                || d.getRevision() == null
                || d.getRevision().getName() == null
                || d.getRevision().getDigest() == null) {
            return null;
        }
        return new Assignment(
                new RevisionTarget(
                        d.getRevision().getName(),
                        d.getRevision().getDigest(),
                        d.getVersion() == null ? "" : d.getVersion()),
                Boolean.TRUE.equals(d.getRollback()));
    }

    static Observation observed(ConfextNode cxn, String bundle) {
        BundleState s = statusEntry(cxn, bundle);
        if (s == null || s.getPhase() == null) {
            return null;
        }
        NodePhase phase = switch (s.getPhase()) {
            case Pending -> NodePhase.PENDING;
            case Fetching -> NodePhase.FETCHING;
            case Verified -> NodePhase.VERIFIED;
            case Active -> NodePhase.ACTIVE;
            case Degraded -> NodePhase.DEGRADED;
            case Failed -> NodePhase.FAILED;
            case RolledBack -> NodePhase.ROLLED_BACK;
            case Removed -> NodePhase.REMOVED;
        };
        return new Observation(
                phase, s.getRevision(), s.getDigest(), parse(s.getSince()), s.getReason(), s.getMessage());
    }

    private static Instant parse(String ts) {
        if (ts == null) {
            return null;
        }
        try {
            return Instant.parse(ts);
        } catch (DateTimeParseException e) {
            return null; // an agent with a bad clock string: treat as unknown rather than fail the whole bundle
        }
    }
}
