package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * The schema of {@code rollout.canary.nodeSelector}: a metav1 LabelSelector, with bounds. Only the CRD generator reads
 * this class ({@code @SchemaFrom}); the field's Java type stays fabric8's {@code LabelSelector}.
 *
 * <p>Why not the plain LabelSelector schema: the API server does not validate a LabelSelector inside a custom
 * resource, and the operator's matcher reads an operator it does not know as "matches nothing", so a typo silently
 * meant "no canary step". Rules over an unbounded list of unbounded strings exceed the API server's CEL cost budget;
 * with these bounds (far above any real selector) each rule is checked per item and cheaply.
 */
public final class CanaryNodeSelectorSchema {

    @Size(max = 64)
    @JsonPropertyDescription("Label key-value pairs that must all match, as in a LabelSelector.")
    public Map<String, String> matchLabels;

    @Size(max = 16)
    @JsonPropertyDescription("Label requirements that must all hold, as in a LabelSelector.")
    public List<Requirement> matchExpressions;

    private CanaryNodeSelectorSchema() {}

    /** One metav1 LabelSelectorRequirement. */
    @ValidationRule(
            value = "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0)"
                    + " : (!has(self.values) || size(self.values) == 0)",
            message = "spec.rollout.canary.nodeSelector.matchExpressions[].values: must be non-empty for In and NotIn,"
                    + " and empty for Exists and DoesNotExist")
    @ValidationRule(
            value = "size(self.key) > 0",
            message = "spec.rollout.canary.nodeSelector.matchExpressions[].key: must be set",
            fieldPath = ".key")
    public static final class Requirement {
        @Required
        @Size(max = 317) // a label key: a 253-character prefix, '/', a 63-character name
        @JsonPropertyDescription("The label key.")
        public String key;

        @Required
        @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
        public Operator operator;

        @Size(max = 64)
        @JsonPropertyDescription("The values for In and NotIn; empty for Exists and DoesNotExist.")
        public List<@Size(max = 63) String> values;

        private Requirement() {}
    }

    /** The operators of a LabelSelectorRequirement. */
    public enum Operator {
        In,
        NotIn,
        Exists,
        DoesNotExist
    }
}
