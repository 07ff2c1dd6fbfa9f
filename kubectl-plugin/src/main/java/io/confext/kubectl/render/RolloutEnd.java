package io.confext.kubectl.render;

import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.ConfextBundle;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/**
 * When {@code status --watch} stops, like {@code kubectl rollout status}: once the status describes the current
 * spec and Progressing is False: done when the reason is RolloutComplete, ended without success otherwise (halted,
 * rolled back, no eligible nodes, past the progress deadline). A paused rollout is still watched. Pure.
 */
public final class RolloutEnd {
    private RolloutEnd() {}

    /** @param success whether the target version is on every targeted node */
    public record Ended(boolean success, String reason, String message) {}

    public static Optional<Ended> of(ConfextBundle bundle) {
        if (bundle.getStatus() == null
                || bundle.getMetadata().getGeneration() == null
                || !bundle.getMetadata()
                        .getGeneration()
                        .equals(bundle.getStatus().getObservedGeneration())) {
            return Optional.empty();
        }
        Condition p = StatusView.condition(bundle.getStatus(), "Progressing");
        if (p == null || !"False".equals(p.getStatus())) {
            return Optional.empty();
        }
        return Optional.of(
                new Ended(Reason.RolloutComplete.name().equals(p.getReason()), p.getReason(), p.getMessage()));
    }
}
