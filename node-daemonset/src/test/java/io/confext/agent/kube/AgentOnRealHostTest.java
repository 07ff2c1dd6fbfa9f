package io.confext.agent.kube;

import static io.confext.agent.kube.RunningAgent.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.SystemdHostApplier;
import io.confext.agent.state.StateLayout;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End to end through the Kubernetes side with nothing faked but the API server: a ConfextNode on
 * fabric8's mock server, the real host side ({@link SystemdHostApplier}) on a real systemd 262 host
 * booted by the test bed, and the demo service whose main process reports what it sees.
 */
@SystemdHostTest
class AgentOnRealHostTest {

    private static RevisionContent demo(String version) {
        return new RevisionContent(
                version,
                Scope.Service,
                List.of("demo.service"),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile("demo/demo.conf", "version=" + version + "\n", "0644"))),
                null,
                ReloadMode.Reload,
                0);
    }

    @Test
    void confextNodeBundleReachesTheServiceAndTheStatusSaysWhatItSees(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, "demo.service");
        RevisionContent v1 = demo("1");
        RevisionContent v2 = demo("2");
        try (MockApi api = new MockApi()) {
            api.admin.resource(Fixtures.revision("demo-1", v1)).create();
            api.admin.resource(Fixtures.revision("demo-2", v2)).create();
            api.admin
                    .resource(Fixtures.node("node-a", Fixtures.desired("demo", "demo-1", v1)))
                    .create();

            SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), StateLayout.DEFAULT_HOST_DIR);
            try (RunningAgent agent = new RunningAgent(api.agentClient, "node-a", applier)) {
                await("demo 1 Active", () -> activeVersion(api, "1"));
                assertThat(DemoService.mainPidSees(host, "demo.service", "demo/demo.conf"))
                        .contains("version=1\n");
                ConfextNode a = api.node("node-a");
                assertThat(a.getStatus().getHost().getSystemdVersion()).isEqualTo(262);
                assertThat(a.getStatus().getHost().getRefreshOnReload()).isTrue();
                BundleState s1 = a.getStatus().getBundles().get(0);
                assertThat(s1.getUnits())
                        .singleElement()
                        .satisfies(
                                u -> assertThat(u.getMainPid()).isEqualTo(DemoService.mainPid(host, "demo.service")));

                // The operator moves the node to version 2: the service's main process sees it, the status says so.
                ConfextNode next = api.node("node-a");
                next.getSpec().setBundles(List.of(Fixtures.desired("demo", "demo-2", v2)));
                api.admin.resource(next).update();
                await("demo 2 Active", () -> activeVersion(api, "2"));
                assertThat(DemoService.mainPidSees(host, "demo.service", "demo/demo.conf"))
                        .contains("version=2\n");

                // The operator drops the bundle: the unit returns to the host's own /etc.
                ConfextNode none = api.node("node-a");
                none.getSpec().setBundles(List.of());
                api.admin.resource(none).update();
                await("demo Removed", () -> {
                    ConfextNode n = api.node("node-a");
                    return n.getStatus().getBundles().stream()
                            .anyMatch(b -> "demo".equals(b.getName()) && b.getPhase() == BundlePhase.Removed);
                });
                assertThat(DemoService.mainPidSees(host, "demo.service", "demo/demo.conf"))
                        .isNotEqualTo(java.util.Optional.of("version=2\n"));
            }
        }
    }

    private static boolean activeVersion(MockApi api, String version) {
        ConfextNode n = api.node("node-a");
        return n != null
                && n.getStatus() != null
                && n.getStatus().getBundles() != null
                && n.getStatus().getBundles().stream()
                        .anyMatch(b -> "demo".equals(b.getName())
                                && b.getPhase() == BundlePhase.Active
                                && version.equals(b.getActiveVersion()));
    }
}
