package io.confext.operator.rollout;

import io.confext.api.status.Reason;
import io.confext.api.version.UapiVersion;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a bundle's target is a forward rollout, a rollback the operator marks, or a
 * downgrade it refuses. Pure.
 *
 * <p>Agents refuse to go below the newest version they applied unless the node entry says
 * {@code rollback: true} (rollback-attack protection). The operator gives that permit only for a
 * version this bundle delivered before (it is in {@code status.history}, and the store refuses new
 * content under a frozen version, so the same version means the same content), or when the bundle
 * opts in with {@code spec.rollout.allowDowngrade}. Older than what the bundle delivered means older
 * (UAPI ordering) than the newest version in its history or in any node's entry for it.
 */
public final class UndoPlanner {
    /**
     * @param target         the revision spec.version asks for
     * @param delivered      the bundle's history, newest first
     * @param versionsOnNodes the versions of this bundle's entries on the nodes now
     * @param allowDowngrade {@code spec.rollout.allowDowngrade}
     */
    public Direction decide(
            RevisionTarget target,
            List<DeliveredVersion> delivered,
            Collection<String> versionsOnNodes,
            boolean allowDowngrade) {
        Objects.requireNonNull(target, "target");
        String newest = null;
        for (DeliveredVersion d : delivered) {
            newest = newer(newest, d.version());
        }
        for (String v : versionsOnNodes) {
            newest = newer(newest, v);
        }
        if (newest == null || UapiVersion.compare(target.version(), newest) >= 0) {
            return new Direction.Forward();
        }
        boolean deliveredBefore = delivered.stream()
                .anyMatch(d ->
                        d.version().equals(target.version()) || target.name().equals(d.revision()));
        if (deliveredBefore) {
            return new Direction.Rollback(
                    Reason.RollbackToDeliveredVersion,
                    "rolling back from " + newest + " to " + target.version() + ", which this bundle delivered before");
        }
        if (allowDowngrade) {
            return new Direction.Rollback(
                    Reason.DowngradeAllowedBySpec,
                    "downgrading from " + newest + " to " + target.version()
                            + " (never delivered through this bundle) because spec.rollout.allowDowngrade is true");
        }
        List<String> known = delivered.stream()
                .map(DeliveredVersion::version)
                .distinct()
                .limit(5)
                .toList();
        return new Direction.Refused(
                Reason.DowngradeNotAllowed,
                "spec.version " + target.version() + " is older than "
                        + newest
                        + ", which this bundle delivered, and was never delivered through it; the nodes stay where they are."
                        + " Set spec.version to a version it delivered (status.history: "
                        + (known.isEmpty() ? "empty" : String.join(", ", known))
                        + ") or to " + newest
                        + " or newer, or set spec.rollout.allowDowngrade: true to roll the older version out");
    }

    private static String newer(String a, String b) {
        if (b == null || b.isEmpty()) {
            return a;
        }
        return a == null || UapiVersion.compare(b, a) > 0 ? b : a;
    }

    /** What {@code confext.io/undo} names: a version of the history, or why it names none. */
    public sealed interface UndoTarget {
        record Found(DeliveredVersion to) implements UndoTarget {}

        record NotFound(String message) implements UndoTarget {}
    }

    /**
     * Resolves an undo request like {@code kubectl rollout undo}: {@code previous} is the newest
     * history entry with another version than spec.version (the last completed one while a new
     * version is rolling out); any other value is a version, its newest history entry.
     */
    public UndoTarget undoTarget(String request, List<DeliveredVersion> history, String specVersion) {
        String want = request == null ? "" : request.trim();
        if (want.isEmpty() || want.equals("previous")) {
            return history.stream()
                    .filter(d -> !d.version().equals(specVersion))
                    .findFirst()
                    .<UndoTarget>map(UndoTarget.Found::new)
                    .orElseGet(() -> new UndoTarget.NotFound(
                            "no earlier version to go back to: status.history holds " + versions(history)));
        }
        if (want.equals(specVersion)) {
            return new UndoTarget.NotFound("spec.version is already " + want);
        }
        return history.stream()
                .filter(d -> d.version().equals(want))
                .findFirst()
                .<UndoTarget>map(UndoTarget.Found::new)
                .orElseGet(() -> new UndoTarget.NotFound("version " + want + " is not in status.history ("
                        + versions(history) + "); undo goes only to a version this bundle delivered"));
    }

    private static String versions(List<DeliveredVersion> history) {
        List<String> v =
                history.stream().map(DeliveredVersion::version).distinct().toList();
        return v.isEmpty() ? "no version" : String.join(", ", v);
    }
}
