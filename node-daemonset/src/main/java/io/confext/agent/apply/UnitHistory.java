package io.confext.agent.apply;

import io.confext.agent.state.BundleRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a unit was last proven with, read from the journal's record and this pass's way forward. */
final class UnitHistory {
    private UnitHistory() {}

    /** The bundle's version the unit was last proven to run with, as recorded (null: none). */
    static String lastProven(BundleRecord rec, String unit) {
        if (rec == null || rec.outcome() == null) {
            return null;
        }
        return rec.outcome().units().stream()
                .filter(u -> u.unit().equals(unit))
                .map(BundleRecord.UnitView::seesVersion)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /** What the unit ran with after the way forward: what it was proven with then if that acted on it. */
    static String ranWith(BundleRecord rec, String unit, List<UnitOutcome> forward) {
        return forward.stream()
                .filter(f -> f.unit().equals(unit))
                .filter(f -> f.action() == Activation.Action.RELOAD || f.action() == Activation.Action.RESTART)
                .findFirst()
                .map(f -> Optional.ofNullable(f.seesVersion()))
                .orElseGet(() -> Optional.ofNullable(lastProven(rec, unit)))
                .orElse(null);
    }
}
