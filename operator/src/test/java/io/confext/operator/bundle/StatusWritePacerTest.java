package io.confext.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusWritePacerTest {
    private static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

    @Test
    void aBundleWaitsASecondAndABitAfterItsLastStatusWriteOthersDoNot() {
        StatusWritePacer pacer = new StatusWritePacer();
        assertThat(pacer.waitBefore("a", T0)).as("never written").isEmpty();

        pacer.wrote("a", T0);
        assertThat(pacer.waitBefore("a", T0.plusMillis(300))).contains(Duration.ofMillis(800));
        assertThat(pacer.waitBefore("a", T0.plusMillis(1099))).contains(Duration.ofMillis(1));
        assertThat(pacer.waitBefore("a", T0.plusMillis(1100))).isEmpty();
        assertThat(pacer.waitBefore("b", T0.plusMillis(300)))
                .as("paced per bundle")
                .isEmpty();

        pacer.forget("a");
        assertThat(pacer.waitBefore("a", T0.plusMillis(300)))
                .as("a deleted bundle's name is free again")
                .isEmpty();
    }
}
