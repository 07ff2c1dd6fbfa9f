package io.confext.agent.kube;

import static io.confext.agent.kube.RunningAgent.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.SystemdHostApplier;
import io.confext.agent.state.StateLayout;
import io.confext.api.revision.RevisionContent;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A Secret-sourced bundle on a real systemd 262 host, through the agent's Kubernetes side (fabric8's mock API
 * server holds the ControllerRevisions and the copy Secrets as the operator writes them): the checked value is
 * staged with the frozen mode and the unit's main process sees it; a version whose copy was replaced after it was
 * frozen is refused before the host is touched, and the unit keeps the version it had.
 */
@SystemdHostTest
class SecretSourceOnSystemd262Test {
    static final String V1 = "token=first-secret\n";
    static final String V2 = "token=second-secret\n";

    @Test
    void aSecretFileReachesTheUnitWithItsModeAndATamperedCopyIsRefused(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, "demo.service");
        RevisionContent v1 = Fixtures.secretContent("1", "demo-secret-1111111111", V1, "0600");
        RevisionContent v2 = Fixtures.secretContent("2", "demo-secret-2222222222", V2, "0600");
        try (MockApi api = new MockApi()) {
            api.admin
                    .resource(Fixtures.copySecret("demo-secret-1111111111", "token", V1))
                    .create();
            // the copy of version 2 was replaced after the operator froze the version: its value is not V2
            api.admin
                    .resource(Fixtures.copySecret("demo-secret-2222222222", "token", "token=planted\n"))
                    .create();
            api.admin.resource(Fixtures.revision("demo-1", v1)).create();
            api.admin.resource(Fixtures.revision("demo-2", v2)).create();
            api.admin
                    .resource(Fixtures.node("node-a", Fixtures.desired("demo", "demo-1", v1)))
                    .create();

            SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), StateLayout.DEFAULT_HOST_DIR);
            try (RunningAgent agent = new RunningAgent(api.agentClient, "node-a", applier)) {
                await(
                        "demo 1 Active",
                        () -> entry(api)
                                .filter(b -> b.getPhase() == BundlePhase.Active && "1".equals(b.getActiveVersion()))
                                .isPresent());
                assertThat(DemoService.mainPidSees(host, "demo.service", "demo/token.conf"))
                        .contains(V1);
                long pid = DemoService.mainPid(host, "demo.service");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                                host.hostPath("/proc/" + pid + "/root/etc/demo/token.conf"))))
                        .as("staged with the mode frozen for the Secret file (0600)")
                        .isEqualTo("rw-------");

                ConfextNode next = api.node("node-a");
                next.getSpec().setBundles(List.of(Fixtures.desired("demo", "demo-2", v2)));
                api.admin.resource(next).update();
                await(
                        "demo 2 refused",
                        () -> entry(api)
                                .filter(b -> b.getPhase() == BundlePhase.Failed)
                                .isPresent());
                BundleState refused = entry(api).orElseThrow();
                assertThat(refused.getReason()).isEqualTo(Reason.SecretContentChanged.name());
                assertThat(refused.getMessage())
                        .contains("demo-secret-2222222222")
                        .doesNotContain("planted")
                        .doesNotContain("second-secret");
                assertThat(DemoService.mainPidSees(host, "demo.service", "demo/token.conf"))
                        .as("the unit keeps version 1; nothing of the tampered copy reached the host")
                        .contains(V1);
                assertThat(host.exec("grep", "-r", "planted", StateLayout.DEFAULT_HOST_DIR)
                                .stdout())
                        .as("not staged anywhere in the agent's state")
                        .isEmpty();
            }
        }
    }

    private static Optional<BundleState> entry(MockApi api) {
        ConfextNode n = api.node("node-a");
        if (n == null || n.getStatus() == null || n.getStatus().getBundles() == null) {
            return Optional.empty();
        }
        return n.getStatus().getBundles().stream()
                .filter(b -> "demo".equals(b.getName()))
                .findFirst();
    }
}
