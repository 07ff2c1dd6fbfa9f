package io.confext.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoxArgumentsTest {

    @Test
    void defaultsToStayingUpWithATenMinuteRolloutTimeout() {
        assertThat(BoxArguments.parse(List.of())).isEqualTo(new BoxArguments(false, Duration.ofMinutes(10)));
    }

    @Test
    void exitAfterRolloutAndTimeout() {
        assertThat(BoxArguments.parse(List.of("--exit-after-rollout", "--timeout=90")))
                .isEqualTo(new BoxArguments(true, Duration.ofSeconds(90)));
    }

    @Test
    void theApiServerCanBeChosen() {
        assertThat(BoxArguments.parse(List.of()).apiServer()).isEqualTo(ApiServerMode.AUTO);
        assertThat(BoxArguments.parse(List.of("--api-server=mock")).apiServer()).isEqualTo(ApiServerMode.MOCK);
        assertThat(BoxArguments.parse(List.of("--api-server=real")).apiServer()).isEqualTo(ApiServerMode.REAL);
        assertThatThrownBy(() -> BoxArguments.parse(List.of("--api-server=kind")))
                .hasMessageContaining("auto, real or mock, not 'kind'");
    }

    @Test
    void theModeCanBeChosenAndAutoFallsBackToProcessesOnlyWhenNodesCannotRun() {
        assertThat(BoxArguments.parse(List.of()).mode()).isEqualTo(BoxMode.AUTO);
        assertThat(BoxArguments.parse(List.of("--mode=processes")).mode()).isEqualTo(BoxMode.PROCESSES);
        assertThat(BoxArguments.parse(List.of("--mode=nodes")).mode()).isEqualTo(BoxMode.NODES);
        assertThatThrownBy(() -> BoxArguments.parse(List.of("--mode=vm")))
                .hasMessageContaining("auto, nodes or processes, not 'vm'");
        assertThat(BoxMode.AUTO.resolve(java.util.Optional.empty())).isEqualTo(BoxMode.NODES);
        assertThat(BoxMode.AUTO.resolve(java.util.Optional.of("no kubelet"))).isEqualTo(BoxMode.PROCESSES);
        assertThat(BoxMode.NODES.resolve(java.util.Optional.of("no kubelet")))
                .as("refused by the box, with the reason")
                .isEqualTo(BoxMode.NODES);
        assertThat(BoxMode.PROCESSES.resolve(java.util.Optional.empty())).isEqualTo(BoxMode.PROCESSES);
    }

    @Test
    void autoStartsTheRealServerOnlyWhenItsBinariesAreBuilt() {
        assertThat(ApiServerMode.AUTO.startsReal(true)).isTrue();
        assertThat(ApiServerMode.AUTO.startsReal(false)).isFalse();
        assertThat(ApiServerMode.MOCK.startsReal(true)).isFalse();
        assertThat(ApiServerMode.REAL.startsReal(false))
                .as("and then fails saying how to build them")
                .isTrue();
    }

    @Test
    void badArgumentsSayWhatIsWrongAndShowTheUsage() {
        assertThatThrownBy(() -> BoxArguments.parse(List.of("--exit")))
                .hasMessageContaining("unknown argument '--exit'")
                .hasMessageContaining("usage:");
        assertThatThrownBy(() -> BoxArguments.parse(List.of("--timeout=soon")))
                .hasMessageContaining("whole seconds, not 'soon'");
        assertThatThrownBy(() -> BoxArguments.parse(List.of("--timeout=0"))).hasMessageContaining("at least 1 second");
    }
}
