package io.confext.agent.apply;

import io.confext.agent.disk.DiskGuard;
import io.confext.agent.disk.DiskRules;
import io.confext.agent.disk.DiskSettings;
import io.confext.agent.disk.StoredVersion;
import io.confext.agent.state.AgentState;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.Scope;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * The node's cap on stored versions, enforced after a pass: every bundle of the journal with its {@code .v/}
 * directory and active version goes to {@link DiskGuard#enforceCap}, and a bundle that lost versions says so in its
 * status ({@link DiskRules#note}). Never in the way of the pass: a failure here is logged and tried on the next one.
 */
final class DiskCap {
    private static final Logger LOG = Logger.getLogger(DiskCap.class);
    private final DiskGuard guard;
    private final DiskSettings settings;

    DiskCap(DiskGuard guard, DiskSettings settings) {
        this.guard = guard;
        this.settings = settings;
    }

    void enforce(AgentState state, BiFunction<String, Scope, VersionsDirectory> versionsOf, List<BundleState> states) {
        if (!settings.capped()) {
            return;
        }
        try {
            List<DiskGuard.Bundle> bundles = state.bundles().values().stream()
                    .filter(r -> r.scope() != null)
                    .map(r -> new DiskGuard.Bundle(
                            versionsOf.apply(r.name(), r.scope()),
                            r.outcome() == null ? null : r.outcome().activeVersion()))
                    .toList();
            Map<String, List<StoredVersion>> evicted = guard.enforceCap(bundles);
            for (BundleState s : states) {
                List<StoredVersion> of = evicted.get(s.getName());
                if (of != null) {
                    DiskRules.note(s, of, settings.maxVersionsBytes());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    e,
                    "The node's cap on stored versions could not be enforced on this pass; trying again on the next");
        }
    }
}
