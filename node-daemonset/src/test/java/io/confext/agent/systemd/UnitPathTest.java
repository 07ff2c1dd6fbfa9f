package io.confext.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The watcher matches systemd's signals by object path: the escaping must be systemd's (bus_label_escape). */
class UnitPathTest {
    @Test
    void unitNamesAreEscapedAsSystemdDoes() {
        assertThat(DbusSystemd.unitPath("demo.service")).isEqualTo("/org/freedesktop/systemd1/unit/demo_2eservice");
        assertThat(DbusSystemd.unitPath("demo-1a2b.service"))
                .isEqualTo("/org/freedesktop/systemd1/unit/demo_2d1a2b_2eservice");
        assertThat(DbusSystemd.unitPath("1x@a.service")).isEqualTo("/org/freedesktop/systemd1/unit/_31x_40a_2eservice");
    }
}
