package io.confext.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds standard {@code metav1.Condition}s, keeping a condition's lastTransitionTime when its
 * status did not change, so the time says when it really flipped (as kubectl users expect).
 */
final class ConditionSet {
    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final long generation;
    private final Instant now;

    ConditionSet(List<Condition> previous, long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = now;
    }

    ConditionSet put(String type, String status, String reason, String message) {
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime).findFirst()
                .orElse(now.toString());
        next.add(new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(since).build());
        return this;
    }

    List<Condition> build() {
        return List.copyOf(next);
    }

    static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
