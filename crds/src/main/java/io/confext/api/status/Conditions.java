package io.confext.api.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way the operator and the agent build standard {@code metav1.Condition}s. A condition's reason can only be
 * a catalogue {@link Reason}, so a new reason needs a catalogue entry (and, by the catalogue's test, a line in the
 * troubleshooting guide). A condition keeps its lastTransitionTime while its status does not change, so the time
 * says when it really flipped (as kubectl users expect), and an unchanged object produces an identical status.
 */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final Long generation;
    private final String now;

    /**
     * @param previous   the conditions as last written (null: none)
     * @param generation the observedGeneration to write (null: leave it out)
     * @param now        the lastTransitionTime of a condition whose status changed
     */
    public Conditions(List<Condition> previous, Long generation, String now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = now;
    }

    public Conditions(List<Condition> previous, long generation, Instant now) {
        this(previous, Long.valueOf(generation), now.toString());
    }

    /** Adds the condition {@code type}; its lastTransitionTime is carried over when the previous one had this status. */
    public Conditions put(String type, String status, Reason reason, String message) {
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElse(now);
        next.add(of(type, status, reason, message, generation, since));
        return this;
    }

    public List<Condition> build() {
        return List.copyOf(next);
    }

    /** One condition as given, for a status that changes a single condition and leaves the others alone. */
    public static Condition of(
            String type, String status, Reason reason, String message, Long generation, String lastTransitionTime) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason.name())
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(lastTransitionTime)
                .build();
    }

    /** {@code conditions} with the condition of {@code c}'s type replaced by {@code c} (appended when there was none). */
    public static List<Condition> replace(List<Condition> conditions, Condition c) {
        List<Condition> out = new ArrayList<>(conditions == null ? List.of() : conditions);
        out.removeIf(x -> c.getType().equals(x.getType()));
        out.add(c);
        return out;
    }

    /** The condition of this type, or null. */
    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }
}
