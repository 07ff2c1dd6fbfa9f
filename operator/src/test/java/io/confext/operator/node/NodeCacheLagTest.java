package io.confext.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ConfextNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeCacheLagTest {
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    static ConfextNode created(String at) {
        ConfextNode c = new ConfextNode();
        c.setMetadata(
                new ObjectMetaBuilder().withName("n").withCreationTimestamp(at).build());
        return c;
    }

    @Test
    void aNewConfextNodeMayStillSeeItsNodeArrive() {
        assertThat(NodeCacheLag.mayStillArrive(created("2026-12-03T11:59:45Z"), NOW))
                .isTrue();
        assertThat(NodeCacheLag.mayStillArrive(created(null), NOW)).isTrue();
    }

    @Test
    void anOldOneWithoutANodeIsLeftOut() {
        assertThat(NodeCacheLag.mayStillArrive(created("2026-12-03T11:59:30Z"), NOW))
                .as("exactly the grace")
                .isFalse();
        assertThat(NodeCacheLag.mayStillArrive(created("2026-01-01T00:00:00Z"), NOW))
                .isFalse();
        assertThat(NodeCacheLag.mayStillArrive(created("yesterday"), NOW)).isFalse();
    }
}
