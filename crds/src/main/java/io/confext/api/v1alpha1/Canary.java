package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Canary step of a rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Canary {

    @Min(0)
    @JsonPropertyDescription("Number of canary nodes updated first. >= 0 (0: no canary step). With nodeSelector: at most"
            + " this many of the matching nodes.")
    private Integer count;

    @JsonPropertyDescription("Choose the canary nodes by label (a metav1 LabelSelector: matchLabels, matchExpressions)"
            + " instead of the first count by the rollout order: the targeted nodes that match, in the rollout order, at"
            + " most count of them, or at most maxUnavailable when count is not set. When no targeted node matches, there"
            + " is no canary step.")
    // The API server does not validate a LabelSelector inside a custom resource, and the operator's matcher treats an
    // operator it does not know as "matches nothing": without these rules a typo would silently mean "no canary step".
    @ValidationRule(value = "!has(self.matchExpressions) || self.matchExpressions.all(e, e.operator in ['In', 'NotIn', 'Exists', 'DoesNotExist'])",
            message = "spec.rollout.canary.nodeSelector.matchExpressions[].operator: must be In, NotIn, Exists or DoesNotExist",
            fieldPath = ".matchExpressions")
    @ValidationRule(value = "!has(self.matchExpressions) || self.matchExpressions.all(e, e.operator in ['In', 'NotIn']"
            + " ? (has(e.values) && size(e.values) > 0) : (!has(e.values) || size(e.values) == 0))",
            message = "spec.rollout.canary.nodeSelector.matchExpressions[].values: must be non-empty for In and NotIn,"
                    + " and empty for Exists and DoesNotExist", fieldPath = ".matchExpressions")
    @ValidationRule(value = "!has(self.matchExpressions) || self.matchExpressions.all(e, has(e.key) && size(e.key) > 0)",
            message = "spec.rollout.canary.nodeSelector.matchExpressions[].key: must be set", fieldPath = ".matchExpressions")
    private LabelSelector nodeSelector;

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }

    public LabelSelector getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(LabelSelector nodeSelector) {
        this.nodeSelector = nodeSelector;
    }
}
