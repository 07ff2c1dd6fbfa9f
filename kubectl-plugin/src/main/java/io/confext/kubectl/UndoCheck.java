package io.confext.kubectl;

import io.confext.api.v1alpha1.VersionHistoryEntry;
import java.util.List;
import java.util.Optional;

/**
 * Whether an undo can be asked for, checked before the annotation is written so that a typo is an error here and not
 * only an UndoRefused event later. The same rules as the operator's (UndoPlanner.undoTarget, docs/rollouts.md#undo):
 * {@code previous} goes to the newest history entry with another version than spec.version; a version must be in
 * status.history and not be spec.version already. The operator still decides. Pure.
 */
final class UndoCheck {
    static final String PREVIOUS = "previous";

    private UndoCheck() {}

    /** The version the undo goes to, or why there is none. */
    static Result check(String request, List<VersionHistoryEntry> history, String specVersion) {
        List<String> versions =
                history.stream().map(VersionHistoryEntry::getVersion).distinct().toList();
        String known = versions.isEmpty() ? "empty" : String.join(", ", versions);
        if (request == null || request.equals(PREVIOUS)) {
            return history.stream()
                    .map(VersionHistoryEntry::getVersion)
                    .filter(v -> v != null && !v.equals(specVersion))
                    .findFirst()
                    .map(Result::to)
                    .orElseGet(
                            () -> Result.refused("no earlier version to go back to (status.history: " + known + ")"));
        }
        if (request.equals(specVersion)) {
            return Result.refused("spec.version is already " + request);
        }
        return versions.contains(request)
                ? Result.to(request)
                : Result.refused("version " + request + " is not in status.history (" + known
                        + "); undo goes only to a version the bundle rolled out");
    }

    record Result(Optional<String> version, String refusal) {
        static Result to(String version) {
            return new Result(Optional.of(version), null);
        }

        static Result refused(String why) {
            return new Result(Optional.empty(), why);
        }
    }
}
