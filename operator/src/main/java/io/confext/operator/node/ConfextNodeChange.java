package io.confext.operator.node;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.RevisionRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Which bundles one update of a ConfextNode concerns, so that the event wakes those bundles and not the
 * whole fleet's (measured: every ConfextNode event reconciled every bundle, OperatorFleetBenchmark). A bundle
 * is concerned when its desired entry or its reported state changed. Every bundle is concerned when
 * something a bundle reads of the node as a whole changed: the agent's readiness, the host facts that decide
 * eligibility ({@link NodeViews}), the deletion mark; a bundle that has no entry on the node yet may then
 * start it. Pure: compares two cached objects.
 */
public final class ConfextNodeChange {
    private ConfextNodeChange() {}

    /** The bundles an update concerns: every bundle, or the named ones (possibly none). */
    public record Concerned(boolean everyBundle, Set<String> bundles) {
        public static final Concerned EVERY = new Concerned(true, Set.of());

        public Concerned {
            bundles = Set.copyOf(bundles);
        }
    }

    public static Concerned between(ConfextNode old, ConfextNode now) {
        if (old == null
                || now == null
                || NodeViews.agentReady(old) != NodeViews.agentReady(now)
                || !Objects.equals(NodeViews.host(old), NodeViews.host(now))
                || !Objects.equals(
                        old.getMetadata().getDeletionTimestamp(),
                        now.getMetadata().getDeletionTimestamp())) {
            return Concerned.EVERY;
        }
        Set<String> changed = new TreeSet<>();
        changed(desired(old), desired(now), DesiredBundle::getName, ConfextNodeChange::sameDesired, changed);
        changed(states(old), states(now), BundleState::getName, ConfextNodeChange::sameState, changed);
        return new Concerned(false, changed);
    }

    private static <T> void changed(
            List<T> before, List<T> after, Function<T, String> name, BiPredicate<T, T> same, Set<String> into) {
        Map<String, T> was = new HashMap<>();
        before.forEach(t -> was.put(name.apply(t), t));
        for (T t : after) {
            T w = was.remove(name.apply(t));
            if (w == null || !same.test(w, t)) {
                into.add(name.apply(t));
            }
        }
        // entries that went away
        into.addAll(was.keySet());
    }

    private static List<DesiredBundle> desired(ConfextNode n) {
        return n.getSpec() == null || n.getSpec().getBundles() == null
                ? List.of()
                : n.getSpec().getBundles();
    }

    private static List<BundleState> states(ConfextNode n) {
        return n.getStatus() == null || n.getStatus().getBundles() == null
                ? List.of()
                : n.getStatus().getBundles();
    }

    private static boolean sameDesired(DesiredBundle a, DesiredBundle b) {
        return Objects.equals(a.getVersion(), b.getVersion())
                && Objects.equals(a.getRollback(), b.getRollback())
                && Objects.equals(a.getMinReadySeconds(), b.getMinReadySeconds())
                && sameRevision(a.getRevision(), b.getRevision());
    }

    private static boolean sameRevision(RevisionRef a, RevisionRef b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.getName(), b.getName())
                && Objects.equals(a.getDigest(), b.getDigest())
                && Objects.equals(a.getNamespace(), b.getNamespace());
    }

    private static boolean sameState(BundleState a, BundleState b) {
        return a.getPhase() == b.getPhase()
                && Objects.equals(a.getRevision(), b.getRevision())
                && Objects.equals(a.getDigest(), b.getDigest())
                && Objects.equals(a.getSince(), b.getSince())
                && Objects.equals(a.getReason(), b.getReason())
                && Objects.equals(a.getMessage(), b.getMessage())
                && Objects.equals(a.getDesiredVersion(), b.getDesiredVersion())
                && Objects.equals(a.getActiveVersion(), b.getActiveVersion());
    }
}
