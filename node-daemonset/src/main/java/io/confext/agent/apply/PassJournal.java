package io.confext.agent.apply;

import io.confext.agent.state.AgentState;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.agent.state.StateStore;
import java.util.EnumSet;
import java.util.Set;

/**
 * The state one converge rewrites (state.json) and its step boundaries: every step is saved before the step observer
 * hears of it, so a SIGKILL at any boundary is converged on the next call.
 */
final class PassJournal {
    /** Steps after which a bundle's outcome is recorded: nothing is left to abandon. */
    private static final Set<BundleStep> FINAL_STEPS = EnumSet.of(
            BundleStep.PROVEN, BundleStep.ROLLED_BACK, BundleStep.FAILED, BundleStep.REMOVED, BundleStep.DEGRADED);

    private final StateStore store;
    private final StepObserver steps;
    private final StopGuard stop;
    private AgentState state;

    PassJournal(StateStore store, StepObserver steps, StopGuard stop) {
        this.store = store;
        this.steps = steps;
        this.stop = stop;
        this.state = store.load();
    }

    AgentState state() {
        return state;
    }

    /** The journalled record of {@code bundle}, null when there is none. */
    BundleRecord record(String bundle) {
        return state.bundles().get(bundle);
    }

    /** The record as this pass sees it, not saved: nothing on the host changed for it. */
    void keep(BundleRecord rec) {
        state = state.with(rec);
    }

    void save(BundleRecord rec, BundleStep step) {
        state = state.with(rec);
        store.save(state);
        reached(rec.name(), step);
    }

    /** The bundle is gone from the host: its record is dropped and saved, then REMOVED is reached. */
    void removed(String bundle) {
        state = state.without(bundle);
        store.save(state);
        reached(bundle, BundleStep.REMOVED);
    }

    /**
     * A step boundary, journalled already: the safe point where a converge whose stop interrupted it is given up.
     * Not after a bundle's last step: its work is done and recorded, so it is reported rather than abandoned.
     */
    void reached(String bundle, BundleStep step) {
        steps.reached(bundle, step);
        if (stop.isStopping() && Thread.currentThread().isInterrupted() && !FINAL_STEPS.contains(step)) {
            throw stop.abandoned(bundle + " at step " + step.word(), null);
        }
    }
}
