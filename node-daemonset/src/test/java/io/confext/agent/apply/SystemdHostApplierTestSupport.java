package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundleState;
import java.util.List;

final class SystemdHostApplierTestSupport {
    private SystemdHostApplierTestSupport() {}

    static BundleState only(List<BundleState> states) {
        assertThat(states).hasSize(1);
        return states.get(0);
    }
}
