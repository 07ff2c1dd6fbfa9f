package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Host scope: systemd-confext merges the bundle into the host's /etc, the listed unit is reloaded. */
@SystemdHostTest
class HostScopeOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();

    @Test
    void mergesIntoHostEtcReloadsUnitsAndRemoves(@Host(HostImage.FORKY) SystemdHost host) throws Exception {
        DemoService.install(host, UNIT);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");
        for (String v : List.of("1", "2")) {
            BundleState s = SystemdHostApplierTestSupport.only(applier.converge(
                    List.of(Bundles.demo("hostdemo", v, Scope.Host, ReloadMode.Reload, false, false, UNIT))));
            assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
            assertThat(s.getActiveVersion()).isEqualTo(v);
            assertThat(host.readFile("/etc/demo/demo.conf")).isEqualTo(Bundles.demoConfig(v, false));
            assertThat(DemoService.seen(host, UNIT).config()).contains(Bundles.demoConfig(v, false));
        }
        assertThat(host.execOk("systemd-confext", "status").stdout()).contains("hostdemo");
        long pid = DemoService.mainPid(host, UNIT);
        // a version whose reload fails goes back to 2 in the host's /etc
        BundleState bad = SystemdHostApplierTestSupport.only(applier.converge(
                List.of(Bundles.demo("hostdemo", "3", Scope.Host, ReloadMode.Reload, true, false, UNIT))));
        assertThat(bad.getPhase()).as(bad.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(host.readFile("/etc/demo/demo.conf")).isEqualTo(Bundles.demoConfig("2", false));
        assertThat(DemoService.mainPid(host, UNIT)).isEqualTo(pid);

        BundleState removed = SystemdHostApplierTestSupport.only(applier.converge(List.of()));
        assertThat(removed.getPhase()).as(removed.getMessage()).isEqualTo(BundlePhase.Removed);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).isEqualTo(Optional.empty());
    }
}
