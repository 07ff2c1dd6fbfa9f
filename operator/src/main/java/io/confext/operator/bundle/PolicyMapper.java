package io.confext.operator.bundle;

import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.operator.rollout.MaxUnavailable;
import io.confext.operator.rollout.OnFailure;
import io.confext.operator.rollout.RolloutRules;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Maps {@code spec.rollout} onto the planner's policy, applying the API defaults. */
final class PolicyMapper {
    private PolicyMapper() {}

    static RolloutRules of(ConfextBundleSpec spec) {
        var r = spec.getRollout();
        if (r == null) {
            return RolloutRules.defaults();
        }
        IntOrString max = r.getMaxUnavailable();
        Object raw = max == null ? null : max.getIntVal() != null ? (Object) max.getIntVal() : max.getStrVal();
        boolean bySelector = r.getCanary() != null && r.getCanary().getNodeSelector() != null;
        int canaryCount = r.getCanary() == null || r.getCanary().getCount() == null
                ? (bySelector ? RolloutRules.CANARY_UP_TO_BUDGET : 0)
                : r.getCanary().getCount();
        return new RolloutRules(
                MaxUnavailable.parse(raw),
                canaryCount,
                r.getMinReadySeconds() == null ? 0 : r.getMinReadySeconds(),
                r.getProgressDeadlineSeconds() == null ? 600 : r.getProgressDeadlineSeconds(),
                Boolean.TRUE.equals(r.getPaused()),
                r.getOnFailure() == FailurePolicy.Rollback ? OnFailure.ROLLBACK : OnFailure.HALT,
                bySelector);
    }
}
