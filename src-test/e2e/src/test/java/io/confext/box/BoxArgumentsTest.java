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
    void badArgumentsSayWhatIsWrongAndShowTheUsage() {
        assertThatThrownBy(() -> BoxArguments.parse(List.of("--exit")))
                .hasMessageContaining("unknown argument '--exit'").hasMessageContaining("usage:");
        assertThatThrownBy(() -> BoxArguments.parse(List.of("--timeout=soon")))
                .hasMessageContaining("whole seconds, not 'soon'");
        assertThatThrownBy(() -> BoxArguments.parse(List.of("--timeout=0"))).hasMessageContaining("at least 1 second");
    }
}
