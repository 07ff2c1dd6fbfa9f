package io.confext.agent.apply;

import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;

/**
 * Hears about a bundle's steps while {@link HostApplier#converge} runs, so that the node's status can say what is
 * happening during a long step (an image download can take minutes) instead of showing the previous state until the
 * converge returns. A listener must not throw: losing a progress report never stops the work it reports on.
 */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (bundle, phase, reason, message) -> {};

    /**
     * @param bundle the desired bundle the step is about
     * @param phase  {@link BundlePhase#Fetching}, {@link BundlePhase#Verified}, or {@link BundlePhase#Pending} just
     *               before a restart the agent cannot avoid
     * @param reason the catalogued word for the step ({@link Reason#Fetching}, {@link Reason#Verified},
     *               {@link Reason#RestartPlanned})
     */
    void reached(DesiredBundleContent bundle, BundlePhase phase, Reason reason, String message);
}
