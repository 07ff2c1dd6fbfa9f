package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** systemd 257 (Debian trixie): confext, but a reload does not refresh a unit's extensions. */
@SystemdHostTest
class OldSystemd257Test {
    private static final String UNIT = Bundles.uniqueUnit();

    @Test
    void reloadOnlyBundleFailsWithWhatToSetAndReloadOrRestartRestarts(@Host(HostImage.TRIXIE) SystemdHost host)
            throws Exception {
        DemoService.install(host, UNIT);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");
        HostFacts facts = applier.facts();
        assertThat(facts.getSystemdVersion()).isEqualTo(257);
        assertThat(facts.getConfext()).isTrue();
        assertThat(facts.getRefreshOnReload()).isFalse();
        assertThat(facts.getOsVersionId()).isEqualTo("13");
        assertThat(host.exec(
                                "busctl",
                                "get-property",
                                "org.freedesktop.systemd1",
                                "/org/freedesktop/systemd1/unit/"
                                        + UNIT.replace("-", "_2d").replace(".", "_2e") + "",
                                "org.freedesktop.systemd1.Service",
                                "RefreshOnReload")
                        .exitCode())
                .as("257 has no RefreshOnReload property")
                .isNotZero();

        BundleState s1 = SystemdHostApplierTestSupport.only(
                applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Reload, false))));
        assertThat(s1.getPhase()).as(s1.getMessage()).isEqualTo(BundlePhase.Active);
        long pid1 = DemoService.mainPid(host, UNIT);

        BundleState refused = SystemdHostApplierTestSupport.only(
                applier.converge(List.of(Bundles.service(UNIT, "2", ReloadMode.Reload, false))));
        assertThat(refused.getPhase()).isEqualTo(BundlePhase.Failed);
        assertThat(refused.getReason()).isEqualTo("ReloadCannotRefresh");
        assertThat(refused.getMessage()).contains("systemd 257").contains("spec.reload: ReloadOrRestart");
        assertThat(DemoService.mainPid(host, UNIT)).isEqualTo(pid1);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("1", false));
        assertThat(Files.exists(host.hostPath("/var/lib/confext-operator/bundles/demo.v/demo_2")))
                .as("a refused version is not even staged: it must not appear at the next restart")
                .isFalse();

        BundleState s2 = SystemdHostApplierTestSupport.only(
                applier.converge(List.of(Bundles.service(UNIT, "2", ReloadMode.ReloadOrRestart, false))));
        assertThat(s2.getPhase()).as(s2.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s2.getActiveVersion()).isEqualTo("2");
        assertThat(DemoService.mainPid(host, UNIT)).isNotEqualTo(pid1);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("2", false));
    }

    /** 257 does not re-build a unit's extension stack on reload: a second bundle follows spec.reload, as a new version does. */
    @Test
    void aSecondBundleOnAUnitWithOneFollowsSpecReload(@Host(HostImage.TRIXIE) SystemdHost host) throws Exception {
        String unit = Bundles.uniqueUnit();
        DemoService.install(host, unit);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");
        DesiredBundleContent base = Bundles.own("base", "1", ReloadMode.Reload, FirstAttach.Restart, unit);
        BundleState first = SystemdHostApplierTestSupport.only(applier.converge(List.of(base)));
        assertThat(first.getPhase()).as(first.getMessage()).isEqualTo(BundlePhase.Active);
        long pid = DemoService.mainPid(host, unit);

        List<BundleState> refused = applier.converge(
                List.of(base, Bundles.own("extra", "1", ReloadMode.Reload, FirstAttach.Restart, unit)));
        BundleState extra = refused.stream()
                .filter(s -> s.getName().equals("extra"))
                .findFirst()
                .orElseThrow();
        assertThat(extra.getPhase()).isEqualTo(BundlePhase.Failed);
        assertThat(extra.getReason()).isEqualTo("ReloadCannotRefresh");
        assertThat(extra.getMessage()).contains("systemd 257").contains("spec.reload: ReloadOrRestart");
        assertThat(DemoService.mainPid(host, unit)).isEqualTo(pid);
        assertThat(DemoService.mainPidSees(host, unit, "extra/extra.conf")).isEmpty();

        List<BundleState> restarted = applier.converge(
                List.of(base, Bundles.own("extra", "1", ReloadMode.ReloadOrRestart, FirstAttach.Restart, unit)));
        BundleState extra2 = restarted.stream()
                .filter(s -> s.getName().equals("extra"))
                .findFirst()
                .orElseThrow();
        assertThat(extra2.getPhase()).as(extra2.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(DemoService.mainPid(host, unit)).isNotEqualTo(pid);
        assertThat(DemoService.mainPidSees(host, unit, "extra/extra.conf")).contains("extra=1\n");
        assertThat(DemoService.mainPidSees(host, unit, "base/base.conf")).contains("base=1\n");
    }
}
