package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostMergePlanTest {
    @Test
    void mergesMutableWithAutoFromSystemd256() {
        HostMergePlan p = HostMergePlan.of(256, false, Optional.empty());
        assertThat(p.writable()).isTrue();
        assertThat(p.refreshArgv()).containsExactly("systemd-confext", "refresh", "--mutable=auto");
    }

    @Test
    void forcesTheRefreshAndPassesTheImagePolicyOn262() {
        HostMergePlan p = HostMergePlan.of(262, true, Optional.of("root=verity+signed"));
        assertThat(p.refreshArgv())
                .containsExactly(
                        "systemd-confext",
                        "refresh",
                        "--mutable=auto",
                        "--always-refresh=yes",
                        "--image-policy=root=verity+signed");
    }

    @Test
    void beforeSystemd256EtcIsReadOnlyWhileMergedAndNoMutableOptionIsPassed() {
        HostMergePlan p = HostMergePlan.of(255, false, Optional.empty());
        assertThat(p.writable()).isFalse();
        assertThat(p.refreshArgv()).containsExactly("systemd-confext", "refresh");
    }
}
