package io.confext.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The platform behaviour the agent relies on, observed on real systemd: a unit with
 * {@code ExtensionDirectories=<dir>.v/} gets the newest version on {@code systemctl reload} with systemd 262
 * (refresh before ExecReload=), not with 257 (only a restart picks it up), and what failures look like.
 */
@SystemdHostTest
class ReloadRefreshBehaviourTest {

    static final String UNIT = "demo.service";
    static final String VDIR = "/var/lib/x/demo.v";

    /** Version 1 in place, the unit attached to the .v dir by a drop-in and started. */
    static void startAttached(SystemdHost host) {
        putVersion(host, "1", "value=1\n");
        DemoService.install(host, UNIT, DemoService.DEFAULT_CONFIG, false);
        host.writeFile(
                "/etc/systemd/system/" + UNIT + ".d/50-confext.conf",
                "[Service]\nExtensionDirectories=" + VDIR + "/\n",
                "0644");
        host.execOk("systemctl", "daemon-reload");
        host.execOk("systemctl", "start", UNIT);
        assertThat(DemoService.seen(host, UNIT).config()).contains("value=1\n");
        // the unit has its own /etc: the host's is untouched
        assertThat(host.hostPath("/etc/demo/demo.conf")).doesNotExist();
    }

    static void putVersion(SystemdHost host, String version, String config) {
        ConfextImages.directory(
                host, VDIR + "/demo_" + version, "demo", Map.of("demo/demo.conf", config), "VERSION=" + version + "\n");
    }

    static String versionMainPidSees(SystemdHost host) {
        return KeyValues.parse(DemoService.mainPidSees(host, UNIT, "extension-release.d/extension-release.demo")
                        .orElse(""))
                .orElseThrow()
                .get("VERSION");
    }

    @Test
    void forkyReloadRefreshesTheUnitsExtensions(SystemdHost host) {
        assertThat(host.systemdVersion()).isGreaterThanOrEqualTo(262);
        startAttached(host);
        long pid = DemoService.mainPid(host, UNIT);
        putVersion(host, "2", "value=2\n");

        host.execOk("systemctl", "reload", UNIT);

        assertThat(versionMainPidSees(host)).isEqualTo("2");
        DemoSeen seen = DemoService.seen(host, UNIT);
        assertThat(seen.config()).as("ExecReload= ran after the refresh").contains("value=2\n");
        assertThat(seen.extensionField("demo", "VERSION")).contains("2");
        assertThat(DemoService.mainPid(host, UNIT)).as("no restart").isEqualTo(pid);
    }

    @Test
    void trixieReloadDoesNotRefreshOnlyARestartDoes(@Host(HostImage.TRIXIE) SystemdHost host) {
        assertThat(host.systemdVersion()).isEqualTo(257);
        startAttached(host);
        putVersion(host, "2", "value=2\n");

        host.execOk("systemctl", "reload", UNIT);

        DemoSeen seen = DemoService.seen(host, UNIT);
        assertThat(seen.generation()).as("ExecReload= did run").isEqualTo(2);
        assertThat(seen.config()).as("but the unit's /etc is the old one").contains("value=1\n");
        assertThat(versionMainPidSees(host)).isEqualTo("1");

        host.execOk("systemctl", "restart", UNIT);
        assertThat(versionMainPidSees(host)).isEqualTo("2");
        assertThat(DemoService.seen(host, UNIT).config()).contains("value=2\n");
    }

    /**
     * 262: the refresh happens before ExecReload=. When ExecReload= then fails, `systemctl reload` fails
     * (job failed, ReloadResult=exit-code), the unit stays active with the same main process, and its /etc
     * already shows the NEW version although the process never re-read it. Undo = take the version out of
     * the .v dir and reload again.
     */
    @Test
    void forkyFailingExecReloadLeavesTheNewVersionMountedButUnread(SystemdHost host) {
        startAttached(host);
        long pid = DemoService.mainPid(host, UNIT);
        putVersion(host, "2", "value=2\nfail_reload=yes\n");

        ExecResult reload = host.exec("systemctl", "reload", UNIT);

        assertThat(reload.exitCode()).as(reload.toString()).isNotZero();
        assertThat(UnitState.of(host, UNIT)).isEqualTo(new UnitState("active", "running", "exit-code"));
        assertThat(DemoService.mainPid(host, UNIT)).isEqualTo(pid);
        assertThat(versionMainPidSees(host))
                .as("refreshed before ExecReload= failed")
                .isEqualTo("2");
        assertThat(DemoService.seen(host, UNIT).config()).as("never re-read").contains("value=1\n");

        // rollback: remove the bad version, reload again
        host.execOk("rm", "-rf", VDIR + "/demo_2");
        host.execOk("systemctl", "reload", UNIT);
        assertThat(versionMainPidSees(host)).isEqualTo("1");
        assertThat(UnitState.of(host, UNIT)).isEqualTo(new UnitState("active", "running", "success"));
    }

    /**
     * 262: when the refresh itself fails (here: the newest version's extension-release does not match the
     * host), `systemctl reload` fails at once, ExecReload= does not run, the unit stays active and its /etc
     * keeps the previous version.
     */
    @Test
    void forkyFailingRefreshFailsTheReloadAndKeepsTheOldVersion(SystemdHost host) {
        startAttached(host);
        host.writeFile(
                VDIR + "/demo_2/etc/extension-release.d/extension-release.demo",
                "ID=fedora\nVERSION_ID=40\nVERSION=2\n",
                "0644");
        host.writeFile(VDIR + "/demo_2/etc/demo/demo.conf", "value=2\n", "0644");

        ExecResult reload = host.exec("systemctl", "reload", UNIT);

        assertThat(reload.exitCode()).as(reload.toString()).isNotZero();
        assertThat(UnitState.of(host, UNIT)).isEqualTo(new UnitState("active", "running", "exit-code"));
        assertThat(versionMainPidSees(host)).isEqualTo("1");
        DemoSeen seen = DemoService.seen(host, UNIT);
        assertThat(seen.generation()).as("ExecReload= did not run").isEqualTo(1);
    }
}
