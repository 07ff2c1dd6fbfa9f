package io.confext.operator.bundle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rollbacks this reconciler started whose status the bundle cache may not show yet. Whether a
 * bundle is rolling back is kept in its status (the Degraded condition's reason); a reconcile that
 * follows the status write soon can still read the older status from the cache. It would then plan
 * forward: the failed node, already sent back to the stable version, shows no failure of the target,
 * so the failed version would be assigned anew (OperatorMetricsTest saw its second wave). So the
 * decision is also kept here, per bundle and target revision, until the cache shows a status that
 * records it, or the target changes. In memory only: after a restart the status is the only record,
 * and a restarted operator's cache starts from the status as written.
 */
final class StartedRollbacks {
    private final Map<String, String> targetByBundle = new ConcurrentHashMap<>();

    /** The status that records a rollback from {@code target} has been decided and handed to the write. */
    void started(String bundle, String target) {
        targetByBundle.put(bundle, target);
    }

    /**
     * Whether the bundle is rolling back from {@code target}: as its cached status says ({@code recorded}), or as
     * this reconciler decided. A status that records it, or another target, ends the memory.
     */
    boolean rollingBack(String bundle, String target, boolean recorded) {
        String started = targetByBundle.get(bundle);
        if (started == null) {
            return recorded;
        }
        if (recorded || !started.equals(target)) {
            targetByBundle.remove(bundle, started);
            return recorded;
        }
        return true;
    }

    void forget(String bundle) {
        targetByBundle.remove(bundle);
    }
}
