package io.confext.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
    static final Map<String, String> ZONE_A_CANARY =
            Map.of("topology.kubernetes.io/zone", "zone-a", "confext.io/canary", "true");

    @Test
    void matchLabelsAndEveryOperator() {
        LabelSelector labels = new LabelSelectorBuilder()
                .addToMatchLabels("confext.io/canary", "true")
                .build();
        assertThat(LabelSelectors.matches(labels, ZONE_A_CANARY)).isTrue();
        assertThat(LabelSelectors.matches(labels, Map.of("confext.io/canary", "false")))
                .isFalse();
        assertThat(LabelSelectors.matches(labels, null)).isFalse();

        assertThat(LabelSelectors.matches(expr("topology.kubernetes.io/zone", "In", "zone-a", "zone-b"), ZONE_A_CANARY))
                .isTrue();
        assertThat(LabelSelectors.matches(expr("topology.kubernetes.io/zone", "In", "zone-b"), ZONE_A_CANARY))
                .isFalse();
        assertThat(LabelSelectors.matches(expr("topology.kubernetes.io/zone", "NotIn", "zone-b"), ZONE_A_CANARY))
                .isTrue();
        assertThat(LabelSelectors.matches(expr("topology.kubernetes.io/zone", "NotIn", "zone-a"), ZONE_A_CANARY))
                .isFalse();
        assertThat(LabelSelectors.matches(expr("missing", "NotIn", "x"), ZONE_A_CANARY))
                .as("no label is not in")
                .isTrue();
        assertThat(LabelSelectors.matches(expr("confext.io/canary", "Exists"), ZONE_A_CANARY))
                .isTrue();
        assertThat(LabelSelectors.matches(expr("missing", "Exists"), ZONE_A_CANARY))
                .isFalse();
        assertThat(LabelSelectors.matches(expr("missing", "DoesNotExist"), ZONE_A_CANARY))
                .isTrue();
        assertThat(LabelSelectors.matches(expr("confext.io/canary", "DoesNotExist"), ZONE_A_CANARY))
                .isFalse();
        assertThat(LabelSelectors.matches(expr("confext.io/canary", "Gt", "1"), ZONE_A_CANARY))
                .as("unknown operator")
                .isFalse();
    }

    @Test
    void anEmptySelectorMatchesEveryNodeAndAllPartsMustHold() {
        assertThat(LabelSelectors.matches(new LabelSelector(), Map.of())).isTrue();
        LabelSelector both = new LabelSelectorBuilder()
                .addToMatchLabels("confext.io/canary", "true")
                .addNewMatchExpression()
                .withKey("topology.kubernetes.io/zone")
                .withOperator("In")
                .withValues("zone-b")
                .endMatchExpression()
                .build();
        assertThat(LabelSelectors.matches(both, ZONE_A_CANARY)).isFalse();
    }

    private static LabelSelector expr(String key, String op, String... values) {
        return new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey(key)
                .withOperator(op)
                .withValues(values)
                .endMatchExpression()
                .build();
    }
}
