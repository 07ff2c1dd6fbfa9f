package io.confext.agent.apply;

import io.confext.agent.state.BundleStep;

/** Called at every step boundary of the pipeline; the crash test uses it to SIGKILL the agent exactly there. */
@FunctionalInterface
public interface StepObserver {
    StepObserver NONE = (bundle, step) -> {};

    void reached(String bundle, BundleStep step);
}
