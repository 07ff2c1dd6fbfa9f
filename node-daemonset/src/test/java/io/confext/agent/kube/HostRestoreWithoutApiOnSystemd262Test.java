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
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
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
 * Host scope across a reboot with the API unreachable, on a real systemd 262 host: the agent proved version 1 of a
 * host-scope bundle (merged into the host's /etc under its priority name); the host reboots, so /etc comes up without
 * the merge, and the unit starts without the file. The agent starts with its API connection cut and, from its
 * journal and the verified content alone, merges /etc again (writable for everyone else) and reloads the unit, which
 * sees version 1; nothing else moves. Once the API answers, the entry says RestoredFromLocalState.
 */
@SystemdHostTest
class HostRestoreWithoutApiOnSystemd262Test {
    private static final String UNIT = "demo.service";
    private static final String FILE = "/etc/demo/demo.conf";

    private static RevisionContent demo(String version) {
        return new RevisionContent(
                version,
                Scope.Host,
                List.of(UNIT),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile("demo/demo.conf", "version=" + version + "\n", "0644"))),
                null,
                ReloadMode.Reload,
                40);
    }

    @Test
    void aRebootWithTheApiDownMergesTheProvenHostVersionAgain(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, UNIT);
        host.execOk("ln", "-s", "/etc/systemd/system/" + UNIT, "/etc/systemd/system/multi-user.target.wants/" + UNIT);
        RevisionContent v1 = demo("1");
        try (MockApi api = new MockApi()) {
            api.admin.resource(Fixtures.revision("demo-1", v1)).create();
            api.admin
                    .resource(Fixtures.node("node-a", Fixtures.desired("demo", "demo-1", v1)))
                    .create();
            try (RunningAgent agent = new RunningAgent(
                    api.agentClient,
                    "node-a",
                    new SystemdHostApplier(host.leaderPid(), StateLayout.DEFAULT_HOST_DIR))) {
                await(
                        "demo 1 Active",
                        () -> RestoreWithoutApiOnSystemd262Test.bundle(api)
                                .filter(b -> b.getPhase() == BundlePhase.Active)
                                .isPresent());
            }
            assertThat(host.readFile(FILE)).isEqualTo("version=1\n");
            assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains("version=1\n");
            String journal = host.readFile(StateLayout.DEFAULT_HOST_DIR + "/state.json");

            api.proxy.cut();
            host.reboot();
            assertThat(Files.exists(host.hostPath(FILE)))
                    .as("/etc comes up without the merge")
                    .isFalse();
            assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf"))
                    .as("started without the file")
                    .isEmpty();

            try (RunningAgent agent = new RunningAgent(
                    api.agentClient,
                    "node-a",
                    new SystemdHostApplier(host.leaderPid(), StateLayout.DEFAULT_HOST_DIR))) {
                await(
                        "demo.service sees version 1 of the host's /etc again without the API",
                        () -> DemoService.mainPidSees(host, UNIT, "demo/demo.conf")
                                .equals(Optional.of("version=1\n")));
                assertThat(host.readFile(FILE)).isEqualTo("version=1\n");
                assertThat(host.execOk("systemd-confext", "status").stdout()).contains("0040-demo");
                // merged the agent's way: /etc stays writable for everyone else
                host.execOk("sh", "-c", "echo written > /etc/after-restore");
                assertThat(host.readFile("/etc/after-restore")).isEqualTo("written\n");
                assertThat(host.execOk("ls", "/var/lib/confexts/0040-demo.v")
                                .stdout()
                                .strip())
                        .as("no other version")
                        .isEqualTo("0040-demo_1");
                assertThat(host.readFile(StateLayout.DEFAULT_HOST_DIR + "/state.json"))
                        .as("no verdict written")
                        .isEqualTo(journal);

                api.proxy.restore();
                agent.loop.resync();
                await(
                        "the node's entry says RestoredFromLocalState",
                        () -> RestoreWithoutApiOnSystemd262Test.bundle(api)
                                .map(BundleState::getReason)
                                .equals(Optional.of("RestoredFromLocalState")));
                BundleState s = RestoreWithoutApiOnSystemd262Test.bundle(api).orElseThrow();
                assertThat(s.getMessage())
                        .contains("version 1 restored from the agent's journal")
                        .contains("host /etc merged again");
                assertThat(s.getActiveVersion()).isEqualTo("1");
            }
        }
    }
}
