package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
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
import org.junit.jupiter.api.Test;

/** Two bundles on one unit: one drop-in lists both, the higher priority overlays the lower (systemd stacks later entries on top). */
@SystemdHostTest
class PriorityOrderOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();

    private static DesiredBundleContent bundle(String name, int priority) {
        RevisionContent c = new RevisionContent(
                "1",
                Scope.Service,
                List.of(UNIT),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("demo/demo.conf", "from=" + name + "\n", "0644"))),
                null,
                ReloadMode.Reload,
                priority);
        return new DesiredBundleContent(name, name + "-1", "sha256:" + name, false, c);
    }

    @Test
    void higherPriorityWinsAndRemovingItRevealsTheOther(@Host(HostImage.FORKY) SystemdHost host) throws Exception {
        DemoService.install(host, UNIT);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");
        List<BundleState> states = applier.converge(List.of(bundle("low", 10), bundle("high", 500)));
        assertThat(states).extracting(BundleState::getPhase).containsOnly(BundlePhase.Active);
        assertThat(host.readFile("/etc/systemd/system/" + UNIT + ".d/50-confext-operator.conf"))
                .contains(
                        "ExtensionDirectories=/var/lib/confext-operator/bundles/low.v/ /var/lib/confext-operator/bundles/high.v/");
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains("from=high\n");
        assertThat(DemoService.mainPidSees(host, UNIT, "extension-release.d/extension-release.low"))
                .isPresent();

        List<BundleState> after = applier.converge(List.of(bundle("low", 10)));
        assertThat(after)
                .extracting(BundleState::getName, BundleState::getPhase)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("high", BundlePhase.Removed),
                        org.assertj.core.groups.Tuple.tuple("low", BundlePhase.Active));
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains("from=low\n");
    }
}
