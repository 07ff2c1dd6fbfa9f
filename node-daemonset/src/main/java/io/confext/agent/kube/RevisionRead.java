package io.confext.agent.kube;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;

/** What the agent could make of one desired bundle's revision. */
public sealed interface RevisionRead {

    /** The revision exists and its content has the digest the ConfextNode names. */
    record Resolved(DesiredBundleContent content) implements RevisionRead {}

    /**
     * The content cannot be used (yet): the bundle gets this phase/reason/message in the status and
     * is not handed to the host with new content. {@code retry}: worth asking the API again soon
     * (a revision the operator has not created yet), as opposed to a refusal that only a spec change fixes.
     */
    record Unresolved(BundlePhase phase, String reason, String message, boolean retry) implements RevisionRead {

        public Unresolved {
            Reason.require(reason);
        }

        public Unresolved(BundlePhase phase, Reason reason, String message, boolean retry) {
            this(phase, reason.name(), message, retry);
        }

        static Unresolved missing(String message) {
            return new Unresolved(BundlePhase.Pending, Reason.RevisionMissing, message, true);
        }

        static Unresolved refused(Reason reason, String message) {
            return new Unresolved(BundlePhase.Failed, reason, message, false);
        }
    }
}
