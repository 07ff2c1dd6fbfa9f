package io.confext.agent.apply;

import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.HostFacts;
import java.util.List;

/** The node agent's host side: what the Kubernetes side calls. */
public interface HostApplier {
    /** systemd version, confext (>=254), refreshOnReload (>=258), os-release ID/VERSION_ID, architecture. */
    HostFacts facts();

    /**
     * Converges the host to exactly this desired set (bundles absent from it are removed) and returns the state of
     * every bundle it knows, including removed ones once (phase Removed). Never throws for one bundle's failure:
     * that is a Failed/RolledBack state with a reason and message a person can act on. Idempotent: calling it again
     * with the same set changes nothing on the host.
     */
    List<BundleState> converge(List<DesiredBundleContent> desired);

    /** {@link #converge(List)}, telling {@code progress} about long steps as they happen. */
    default List<BundleState> converge(List<DesiredBundleContent> desired, ProgressListener progress) {
        return converge(desired);
    }

    /**
     * The agent is stopping (SIGTERM): a converge in flight may still finish, but from now on anything that goes wrong
     * in it (above all the interrupt the stop sends when its grace runs out) is an abandonment, thrown as
     * {@link ConvergeAbandoned}, never a Failed/RolledBack verdict or a quarantine. Safe from any thread.
     */
    default void stopping() {}

    /**
     * At the agent's start, before any API call: puts back what the host's journal says was proven and what is still
     * verified on disk (drop-ins, host merges), never another version (see {@link RestorePlanner}).
     *
     * @return what was restored, by bundle name, in words for the status; empty when nothing needed restoring
     */
    default java.util.Map<String, String> restoreFromLocalState() {
        return java.util.Map.of();
    }
}
