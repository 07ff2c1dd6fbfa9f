package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code Type=oneshot}, {@code RemainAfterExit=yes} unit on a real systemd 262 host: it is "active (exited)" with
 * no main process, so the agent runs it again (when spec.reload allows a restart) and proves the new version by
 * that run's success; with spec.reload: Reload it refuses before touching anything.
 */
@SystemdHostTest
class OneshotOnSystemd262Test {
    private static final String UNIT = "oneshot-" + Bundles.uniqueUnit();
    private static final String STATE = "/var/lib/confext-operator-oneshot";
    private static final String SEEN = "/run/confext-oneshot/" + UNIT + ".seen";

    /** Records what /etc/demo/demo.conf said on each run; the run fails when the config says fail_reload=yes. */
    private static final String UNIT_FILE = """
            [Unit]
            Description=confext oneshot demo
            # this test starts it 7 times within seconds: the default start rate limit (5 in 10 s) would refuse one
            StartLimitIntervalSec=0

            [Service]
            Type=oneshot
            RemainAfterExit=yes
            ExecStart=/bin/sh -c 'mkdir -p /run/confext-oneshot; { cat /etc/demo/demo.conf 2>/dev/null || echo absent; } > %s; ! grep -q fail_reload=yes /etc/demo/demo.conf'
            """.formatted(SEEN);

    @Test
    void runsTheUnitAgainAndProvesItByItsLastRun(@Host(HostImage.FORKY) SystemdHost host) throws Exception {
        host.writeFile("/etc/systemd/system/" + UNIT, UNIT_FILE, "0644");
        host.execOk("systemctl", "daemon-reload");
        host.execOk("systemctl", "start", UNIT);
        assertThat(show(host, "Type")).isEqualTo("oneshot");
        assertThat(show(host, "ActiveState") + "/" + show(host, "SubState")).isEqualTo("active/exited");
        assertThat(show(host, "MainPID")).isEqualTo("0");
        assertThat(host.readFile(SEEN)).isEqualTo("absent\n");
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), STATE);
        String vdir = STATE + "/bundles/oneshot.v";

        // spec.reload: Reload cannot apply anything to a unit with no process: refused, nothing touched
        String ran0 = show(host, "ExecMainStartTimestampMonotonic");
        BundleState refused = only(applier.converge(List.of(bundle("1", ReloadMode.Reload, false))));
        assertThat(refused.getPhase()).as(refused.getMessage()).isEqualTo(BundlePhase.Failed);
        assertThat(refused.getReason()).isEqualTo("OneshotNeedsRestart");
        assertThat(refused.getMessage()).contains("Type=oneshot").contains("ReloadOrRestart");
        assertThat(Files.exists(host.hostPath(vdir))).isFalse();
        assertThat(show(host, "ExecMainStartTimestampMonotonic")).as("not run").isEqualTo(ran0);

        // ReloadOrRestart: run again, proven by that run
        BundleState s1 = only(applier.converge(List.of(bundle("1", ReloadMode.ReloadOrRestart, false))));
        assertThat(s1.getPhase()).as(s1.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s1.getReason()).isEqualTo("Proven");
        assertThat(s1.getActiveVersion()).isEqualTo("1");
        assertThat(s1.getMessage())
                .contains("proof from its last run, not a live process")
                .contains("Result=success");
        assertThat(s1.getUnits().get(0).getMainPid()).isNull();
        assertThat(host.readFile(SEEN)).isEqualTo(Bundles.demoConfig("1", false));
        String ran1 = show(host, "ExecMainStartTimestampMonotonic");
        assertThat(ran1).isNotEqualTo(ran0);

        // the same version again: not run again, still Active on the strength of that run
        BundleState again = only(applier.converge(List.of(bundle("1", ReloadMode.ReloadOrRestart, false))));
        assertThat(again.getPhase()).as(again.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(show(host, "ExecMainStartTimestampMonotonic")).isEqualTo(ran1);

        BundleState s2 = only(applier.converge(List.of(bundle("2", ReloadMode.Restart, false))));
        assertThat(s2.getPhase()).as(s2.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(host.readFile(SEEN)).isEqualTo(Bundles.demoConfig("2", false));

        // a version the unit's run fails with: quarantined, the unit run again with version 2
        BundleState s3 = only(applier.converge(List.of(bundle("3", ReloadMode.ReloadOrRestart, true))));
        assertThat(s3.getPhase()).as(s3.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(s3.getActiveVersion()).isEqualTo("2");
        assertThat(host.readFile(SEEN)).isEqualTo(Bundles.demoConfig("2", false));
        assertThat(show(host, "ActiveState") + "/" + show(host, "Result")).isEqualTo("active/success");
        assertThat(host.execOk("ls", STATE + "/quarantine/oneshot").stdout()).contains("oneshot_3.");

        // removal: run again without the bundle
        BundleState removed = only(applier.converge(List.of()));
        assertThat(removed.getPhase())
                .as(removed.getMessage() + "\n" + journal(host))
                .isEqualTo(BundlePhase.Removed);
        assertThat(host.readFile(SEEN)).isEqualTo("absent\n");
        assertThat(Files.exists(host.hostPath(STATE + "/quarantine/oneshot"))).isFalse();

        host.execOk("systemctl", "stop", UNIT);
    }

    private static DesiredBundleContent bundle(String version, ReloadMode mode, boolean failRun) {
        return Bundles.demo("oneshot", version, Scope.Service, mode, failRun, false, UNIT);
    }

    private static String journal(SystemdHost host) {
        return host.exec("journalctl", "--no-pager", "-n", "30", "-u", UNIT).stdout()
                + host.exec(
                                "sh",
                                "-c",
                                "ls -la /etc/systemd/system/" + UNIT + ".d/ 2>&1; cat /etc/systemd/system/" + UNIT
                                        + ".d/* 2>&1")
                        .stdout();
    }

    private static String show(SystemdHost host, String property) {
        return host.execOk("systemctl", "show", "-p", property, "--value", UNIT)
                .stdout()
                .strip();
    }

    private static BundleState only(List<BundleState> states) {
        assertThat(states).hasSize(1);
        return states.get(0);
    }
}
