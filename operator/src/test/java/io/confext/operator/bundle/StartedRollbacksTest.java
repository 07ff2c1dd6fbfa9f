package io.confext.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartedRollbacksTest {
    @Test
    void aStartedRollbackHoldsWhileTheCachedStatusDoesNotRecordItYet() {
        StartedRollbacks started = new StartedRollbacks();
        assertThat(started.rollingBack("b", "b-2", false)).as("nothing started").isFalse();

        started.started("b", "b-2");

        assertThat(started.rollingBack("b", "b-2", false))
                .as("the cache still holds the status from before the rollback")
                .isTrue();
        assertThat(started.rollingBack("b", "b-2", false)).as("and again").isTrue();
        assertThat(started.rollingBack("other", "other-2", false))
                .as("per bundle")
                .isFalse();
    }

    @Test
    void theCachedStatusTakesOverOnceItRecordsTheRollback() {
        StartedRollbacks started = new StartedRollbacks();
        started.started("b", "b-2");

        assertThat(started.rollingBack("b", "b-2", true)).isTrue();
        // From here the status is the record: a later status that no longer records it (the user set a new version,
        // then back) is believed.
        assertThat(started.rollingBack("b", "b-2", false)).isFalse();
    }

    @Test
    void anotherTargetEndsTheMemory() {
        StartedRollbacks started = new StartedRollbacks();
        started.started("b", "b-2");

        assertThat(started.rollingBack("b", "b-3", false))
                .as("a new version is not rolled back by the old one's failure")
                .isFalse();
        assertThat(started.rollingBack("b", "b-2", false))
                .as("forgotten, not merely shadowed")
                .isFalse();
    }

    @Test
    void forgetDropsTheBundle() {
        StartedRollbacks started = new StartedRollbacks();
        started.started("b", "b-2");
        started.forget("b");
        assertThat(started.rollingBack("b", "b-2", false)).isFalse();
    }
}
