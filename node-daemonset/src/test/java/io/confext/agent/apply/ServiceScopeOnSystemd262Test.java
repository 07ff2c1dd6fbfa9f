package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Service scope on a real systemd 262 host from the test bed: first attachment, idempotence, downgrade protection,
 * operator rollback and removal (restart paths; the reload path is in {@link ReloadRefreshOnSystemd262Test}).
 */
@SystemdHostTest
class ServiceScopeOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();
    private static final String DROP_IN = "/etc/systemd/system/" + UNIT + ".d/50-confext-operator.conf";

    @Test
    void attachIsIdempotentRefusesDowngradeAndRemoves(@Host(HostImage.FORKY) SystemdHost host) throws Exception {
        DemoService.install(host, UNIT);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");

        HostFacts facts = applier.facts();
        assertThat(facts.getSystemdVersion()).isEqualTo(262);
        assertThat(facts.getConfext()).isTrue();
        assertThat(facts.getRefreshOnReload()).isTrue();
        assertThat(facts.getOsId()).isEqualTo("debian");
        assertThat(facts.getArchitecture()).isEqualTo("x86-64");

        // first attachment: a restart (new main PID), then the main process sees version 1
        long pid0 = DemoService.mainPid(host, UNIT);
        BundleState s1 = only(applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Reload, false))));
        assertThat(s1.getPhase()).as(s1.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s1.getActiveVersion()).isEqualTo("1");
        long pid1 = DemoService.mainPid(host, UNIT);
        assertThat(pid1).isNotEqualTo(pid0);
        assertThat(s1.getUnits().get(0).getMainPid()).isEqualTo(pid1);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("1", false));
        assertThat(host.readFile(DROP_IN)).contains("ExtensionDirectories=/var/lib/confext-operator/bundles/demo.v/");
        assertThat(
                        host.readFile(
                                "/var/lib/confext-operator/bundles/demo.v/demo_1/etc/extension-release.d/extension-release.demo"))
                .contains("SYSEXT_VERSION_ID=1");

        // idempotent: the same set changes nothing (same main process, drop-in untouched)
        long dropInMtime = Files.getLastModifiedTime(host.hostPath(DROP_IN)).toMillis();
        BundleState again = only(applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Reload, false))));
        assertThat(again.getPhase()).isEqualTo(BundlePhase.Active);
        assertThat(DemoService.mainPid(host, UNIT)).isEqualTo(pid1);
        assertThat(Files.getLastModifiedTime(host.hostPath(DROP_IN)).toMillis()).isEqualTo(dropInMtime);

        // downgrade without rollback is refused and changes nothing
        BundleState up = only(applier.converge(List.of(Bundles.service(UNIT, "2", ReloadMode.Restart, false))));
        assertThat(up.getPhase()).as(up.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("2", false));
        BundleState down = only(applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Restart, false))));
        assertThat(down.getPhase()).isEqualTo(BundlePhase.Failed);
        assertThat(down.getReason()).isEqualTo("DowngradeRefused");
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("2", false));
        // ... unless the operator rolls back: then the newer version leaves the .v/ directory and 1 is active again
        DesiredBundleContent back =
                Bundles.demo("demo", "1", io.confext.api.v1alpha1.Scope.Service, ReloadMode.Restart, false, true, UNIT);
        BundleState rolled = only(applier.converge(List.of(back)));
        assertThat(rolled.getPhase()).as(rolled.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("1", false));
        assertThat(host.execOk("ls", "/var/lib/confext-operator/quarantine/demo")
                        .stdout()
                        .strip())
                .as("the whole version in one directory of the bundle's quarantine")
                .startsWith("demo_2.superseded.");

        // removal: back to the host's own /etc (which has no demo.conf), reported once as Removed
        BundleState removed = only(applier.converge(List.of()));
        assertThat(removed.getPhase()).as(removed.getMessage()).isEqualTo(BundlePhase.Removed);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).isEqualTo(Optional.empty());
        assertThat(Files.exists(host.hostPath(DROP_IN))).isFalse();
        assertThat(Files.exists(host.hostPath("/var/lib/confext-operator/bundles/demo.v")))
                .isFalse();
        assertThat(Files.exists(host.hostPath("/var/lib/confext-operator/quarantine/demo")))
                .as("no longer managed")
                .isFalse();
        assertThat(applier.converge(List.of())).isEmpty();
    }

    static BundleState only(List<BundleState> states) {
        assertThat(states).hasSize(1);
        return states.get(0);
    }
}
