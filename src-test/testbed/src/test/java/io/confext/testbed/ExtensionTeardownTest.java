package io.confext.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The extension tears each test's host down after the test, also when the test fails. */
@SystemdHostTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionTeardownTest {

    static final List<SystemdHost> SEEN = new ArrayList<>();
    static final List<HostRecord> RECORDS = new ArrayList<>();

    @Test
    @Order(1)
    void first(SystemdHost host) {
        SEEN.add(host);
        RECORDS.add(host.record());
    }

    @Test
    @Order(2)
    void previousHostIsGoneBeforeTheNextTest(SystemdHost host) {
        SEEN.add(host);
        RECORDS.add(host.record());
        SystemdHost previous = SEEN.get(0);
        assertThat(previous.isClosed()).isTrue();
        assertThat(ProcessHandle.of(RECORDS.get(0).leader().orElseThrow().pid()))
                .isEmpty();
        assertThat(Files.exists(RECORDS.get(0).dataDir())).isFalse();
        assertThat(host.isClosed()).isFalse();
    }

    @AfterAll
    static void allClosed() {
        assertThat(SEEN).hasSize(2).allMatch(SystemdHost::isClosed);
        assertThat(RECORDS).allMatch(r -> Mounts.mountedAtOrBelow(r.dataDir()).isEmpty());
    }
}
