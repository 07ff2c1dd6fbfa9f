package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Canary step of a rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Canary {

    @Min(0)
    @JsonPropertyDescription(
            "Number of canary nodes updated first. >= 0 (0: no canary step). With nodeSelector: at most"
                    + " this many of the matching nodes.")
    private Integer count;

    @JsonPropertyDescription("Choose the canary nodes by label (a metav1 LabelSelector: matchLabels, matchExpressions)"
            + " instead of the first count by the rollout order: the targeted nodes that match, in the rollout order, at"
            + " most count of them, or at most maxUnavailable when count is not set. When no targeted node matches, there"
            + " is no canary step.")
    @SchemaFrom(type = CanaryNodeSelectorSchema.class) // bounded, with rules per requirement: see there
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
