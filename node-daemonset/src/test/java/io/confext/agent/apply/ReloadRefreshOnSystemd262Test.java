package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.testsupport.tier.HostTest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Later versions by {@code systemctl reload} on systemd 262 (the main process stays, its view is refreshed), a
 * reload that fails on purpose (local rollback), and the keep-3 retention. Runs on a plain-root host: see
 * {@link PlainRootHost} for why the test bed's overlay-root hosts cannot refresh on reload.
 */
@HostTest
class ReloadRefreshOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();
    private static PlainRootHost host;

    @BeforeAll
    static void boot() throws Exception {
        host = PlainRootHost.boot("forky");
        host.installDemo(UNIT);
    }

    @AfterAll
    static void shutdown() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void reloadRefreshesFailedReloadRollsBackAndOldVersionsAreCollected() throws Exception {
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");
        assertThat(SystemdHostApplierTestSupport.only(
                                applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Reload, false))))
                        .getPhase())
                .isEqualTo(BundlePhase.Active);
        long pid = host.mainPid(UNIT);
        assertThat(host.execOk("systemctl", "show", "-p", "RefreshOnReload", "--value", UNIT)
                        .strip())
                .contains("extensions");

        BundleState s2 = SystemdHostApplierTestSupport.only(
                applier.converge(List.of(Bundles.service(UNIT, "2", ReloadMode.Reload, false))));
        assertThat(s2.getPhase()).as(s2.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s2.getActiveVersion()).isEqualTo("2");
        assertThat(host.mainPid(UNIT)).as("reloaded, not restarted").isEqualTo(pid);
        assertThat(host.mainPidSees(UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("2", false));
        // the service re-read it (its ExecReload waits for the re-read report)
        assertThat(host.read("/run/confext-demo/" + UNIT + ".seen").orElseThrow())
                .contains("generation=2\n")
                .contains("config="
                        + java.util.Base64.getEncoder()
                                .encodeToString(Bundles.demoConfig("2", false).getBytes()));

        BundleState s3 = SystemdHostApplierTestSupport.only(
                applier.converge(List.of(Bundles.service(UNIT, "3", ReloadMode.Reload, true))));
        assertThat(s3.getPhase()).as(s3.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(s3.getReason()).isEqualTo("ReloadFailed");
        assertThat(s3.getActiveVersion()).isEqualTo("2");
        assertThat(host.mainPidSees(UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("2", false));
        assertThat(host.execOk("systemctl", "is-active", UNIT).strip()).isEqualTo("active");
        assertThat(host.ls("/var/lib/confext-operator/quarantine/demo"))
                .anyMatch(n -> n.startsWith("demo_3.ReloadFailed."));

        for (String v : List.of("4", "5")) {
            BundleState s = SystemdHostApplierTestSupport.only(
                    applier.converge(List.of(Bundles.service(UNIT, v, ReloadMode.Reload, false))));
            assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
            assertThat(host.mainPid(UNIT)).isEqualTo(pid);
        }
        assertThat(host.ls("/var/lib/confext-operator/bundles/demo.v")).containsExactly("demo_2", "demo_4", "demo_5");
        assertThat(host.mainPidSees(UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("5", false));
    }
}
