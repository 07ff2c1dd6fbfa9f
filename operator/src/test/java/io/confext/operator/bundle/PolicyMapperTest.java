package io.confext.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.Canary;
import io.confext.operator.rollout.RolloutRules;
import io.confext.testsupport.BundleBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import org.junit.jupiter.api.Test;

class PolicyMapperTest {

    private static RolloutRules rules(Integer count, boolean selector) {
        return PolicyMapper.of(BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .file("a", "b")
                .rollout(r -> {
                    Canary c = new Canary();
                    c.setCount(count);
                    if (selector) {
                        c.setNodeSelector(new LabelSelectorBuilder()
                                .addToMatchLabels("confext.io/canary", "true")
                                .build());
                    }
                    r.setCanary(c);
                })
                .build()
                .getSpec());
    }

    @Test
    void aCanarySelectorWithoutACountIsBoundedByMaxUnavailable() {
        assertThat(rules(null, true).canaryBySelector()).isTrue();
        assertThat(rules(null, true).canaryCount()).isEqualTo(RolloutRules.CANARY_UP_TO_BUDGET);
        assertThat(rules(2, true).canaryCount()).isEqualTo(2);
        assertThat(rules(2, false).canaryBySelector()).isFalse();
        assertThat(rules(null, false).canaryCount()).as("no canary").isZero();
    }
}
