package io.confext.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo service reports what it read, re-reads only when reloaded, and can be told to fail its reload. */
@SystemdHostTest
class DemoServiceTest {

    static final String UNIT = "demo.service";
    static final String CONF = DemoService.DEFAULT_CONFIG;

    @Test
    void reportsWhatItReadAtStartAndRereadsOnReload(SystemdHost host) {
        host.writeFile(CONF, "value=1\n", "0644");
        DemoService.install(host, UNIT);

        DemoSeen atStart = DemoService.seen(host, UNIT);
        assertThat(atStart.generation()).isEqualTo(1);
        assertThat(atStart.config()).contains("value=1\n");
        assertThat(atStart.pid()).isEqualTo(DemoService.mainPid(host, UNIT));
        assertThat(atStart.extensionReleases()).isEmpty();

        host.writeFile(CONF, "value=2\n", "0644");
        // the file changed under it (no private /etc here), but it has not re-read it
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains("value=2\n");
        assertThat(DemoService.seen(host, UNIT).config()).contains("value=1\n");

        host.execOk("systemctl", "reload", UNIT);
        DemoSeen afterReload = DemoService.seen(host, UNIT);
        assertThat(afterReload.generation()).isEqualTo(2);
        assertThat(afterReload.config()).contains("value=2\n");
        assertThat(afterReload.pid()).as("reloaded, not restarted").isEqualTo(atStart.pid());
    }

    @Test
    void reloadFailsOnPurposeWithoutTouchingTheRunningProcess(SystemdHost host) {
        host.writeFile(CONF, "value=1\n", "0644");
        DemoService.install(host, UNIT);
        host.writeFile(CONF, "value=2\nfail_reload=yes\n", "0644");

        ExecResult reload = host.exec("systemctl", "reload", UNIT);

        assertThat(reload.exitCode()).as(reload.toString()).isNotZero();
        assertThat(reload.stderr()).contains("failed");
        assertThat(UnitState.of(host, UNIT)).isEqualTo(new UnitState("active", "running", "exit-code"));
        DemoSeen seen = DemoService.seen(host, UNIT);
        assertThat(seen.generation()).as("no SIGHUP was sent").isEqualTo(1);
        assertThat(seen.config()).contains("value=1\n");
        assertThat(host.execOk("journalctl", "-u", UNIT, "--no-pager").stdout()).contains("refusing to reload");
    }

    @Test
    void reportsMissingConfigAndEveryExtensionRelease(SystemdHost host) {
        host.writeFile("/etc/extension-release.d/extension-release.alpha", "ID=_any\nVERSION=\"7\"\n", "0644");
        DemoService.install(host, "other.service", "/etc/other/none.conf", true);
        DemoSeen seen = DemoService.seen(host, "other.service");
        assertThat(seen.config()).isEmpty();
        assertThat(seen.configPath()).isEqualTo("/etc/other/none.conf");
        assertThat(seen.extensionField("alpha", "VERSION")).contains("7");
        assertThat(DemoService.mainPidSees(host, "other.service", "other/none.conf"))
                .isEmpty();
    }
}
