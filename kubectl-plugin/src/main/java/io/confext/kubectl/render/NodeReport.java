package io.confext.kubectl.render;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.UnitState;
import java.util.List;
import java.util.Optional;

/**
 * One bundle on one node, from its ConfextNode: what the operator asks (spec entry) and what the agent reports
 * (status entry). {@code phase} is the reported phase of the asked revision; a report of another revision (the
 * agent has not taken the new entry up yet) or none at all counts as {@code Pending}.
 *
 * @param wants the version the node's entry asks for, null when the node has no entry for the bundle
 * @param revision the ControllerRevision the entry names, null without an entry
 * @param phase Pending, Fetching, Verified, Active, Degraded, Failed, RolledBack or Removed
 * @param has the version the units' main processes see (the agent's activeVersion), null when none
 * @param units what each unit sees, "unit=version" ("unit=-" for none)
 */
public record NodeReport(
        String node,
        String wants,
        String revision,
        String phase,
        String has,
        String reason,
        String message,
        List<String> units) {

    public static final String PENDING = "Pending";

    /** The bundle's entry and report on the node, or empty when the node has neither. */
    public static Optional<NodeReport> of(ConfextNode node, String bundle) {
        DesiredBundle wanted = node.getSpec() == null || node.getSpec().getBundles() == null
                ? null
                : node.getSpec().getBundles().stream()
                        .filter(d -> bundle.equals(d.getName()))
                        .findFirst()
                        .orElse(null);
        BundleState state = node.getStatus() == null || node.getStatus().getBundles() == null
                ? null
                : node.getStatus().getBundles().stream()
                        .filter(s -> bundle.equals(s.getName()))
                        .findFirst()
                        .orElse(null);
        if (wanted == null && state == null) {
            return Optional.empty();
        }
        String revision = wanted == null || wanted.getRevision() == null
                ? null
                : wanted.getRevision().getName();
        boolean reportsWanted = state != null
                && state.getPhase() != null
                && (wanted == null || revision == null || revision.equals(state.getRevision()));
        String phase = reportsWanted ? state.getPhase().name() : PENDING;
        List<String> units = state == null || state.getUnits() == null
                ? List.of()
                : state.getUnits().stream().map(NodeReport::unit).toList();
        return Optional.of(new NodeReport(
                node.getMetadata().getName(),
                wanted == null ? null : wanted.getVersion(),
                revision,
                phase,
                state == null ? null : state.getActiveVersion(),
                reportsWanted ? state.getReason() : null,
                reportsWanted ? state.getMessage() : null,
                units));
    }

    private static String unit(UnitState u) {
        return u.getUnit() + "="
                + (u.getSeesVersion() == null || u.getSeesVersion().isEmpty() ? "-" : u.getSeesVersion());
    }
}
