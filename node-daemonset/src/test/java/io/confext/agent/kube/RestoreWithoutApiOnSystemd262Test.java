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
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A reboot with the API unreachable, on a real systemd 262 host: the agent proved version 1 on demo.service, its
 * drop-in lived under /run (where the agent writes it while a host merge keeps /etc read-only), the host reboots and
 * the unit starts without it. The agent then starts with its API connection cut (new connections refused on the
 * API's port): from its journal and the verified content in .v/ alone it writes the drop-in again and restarts the
 * unit, which sees version 1 again; nothing moves to another version and nothing is quarantined. Once the API answers
 * again, the node's entry says RestoredFromLocalState with what was written again. Host scope:
 * {@link HostRestoreWithoutApiOnSystemd262Test}.
 */
@SystemdHostTest
class RestoreWithoutApiOnSystemd262Test {
    private static final String UNIT = "demo.service";
    private static final String PERSISTENT = "/etc/systemd/system/" + UNIT + ".d/50-confext-operator.conf";
    private static final String RUNTIME = "/run/systemd/system/" + UNIT + ".d/50-confext-operator.conf";

    private static RevisionContent demo(String version) {
        return new RevisionContent(
                version,
                Scope.Service,
                List.of(UNIT),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile("demo/demo.conf", "version=" + version + "\n", "0644"))),
                null,
                ReloadMode.Restart,
                0);
    }

    @Test
    void aRebootWithTheApiDownGetsTheProvenVersionBackAndTheStatusSaysSoLater(@Host(HostImage.FORKY) SystemdHost host)
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
                        () -> bundle(api)
                                .filter(b -> b.getPhase() == BundlePhase.Active)
                                .isPresent());
            }
            assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains("version=1\n");
            // the drop-in as the agent keeps it while /etc is read-only: under /run, gone after a reboot
            String dropIn = host.readFile(PERSISTENT);
            host.writeFile(RUNTIME, dropIn, "0644");
            Files.delete(host.hostPath(PERSISTENT));
            String journal = host.readFile(StateLayout.DEFAULT_HOST_DIR + "/state.json");

            api.proxy.cut();
            host.reboot();
            assertThat(Files.exists(host.hostPath(RUNTIME)))
                    .as("/run is empty after the reboot")
                    .isFalse();
            assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf"))
                    .as("started without its drop-in")
                    .isEmpty();

            try (RunningAgent agent = new RunningAgent(
                    api.agentClient,
                    "node-a",
                    new SystemdHostApplier(host.leaderPid(), StateLayout.DEFAULT_HOST_DIR))) {
                await(
                        "demo.service sees version 1 again without the API",
                        () -> DemoService.mainPidSees(host, UNIT, "demo/demo.conf")
                                .equals(Optional.of("version=1\n")));
                assertThat(host.readFile(PERSISTENT)).isEqualTo(dropIn);
                assertThat(host.execOk("ls", StateLayout.DEFAULT_HOST_DIR + "/bundles/demo.v")
                                .stdout()
                                .strip())
                        .as("no other version")
                        .isEqualTo("demo_1");
                assertThat(Files.exists(host.hostPath(StateLayout.DEFAULT_HOST_DIR + "/quarantine/demo"))
                                && Files.list(host.hostPath(StateLayout.DEFAULT_HOST_DIR + "/quarantine/demo"))
                                        .findAny()
                                        .isPresent())
                        .as("nothing quarantined")
                        .isFalse();
                assertThat(host.readFile(StateLayout.DEFAULT_HOST_DIR + "/state.json"))
                        .as("no verdict written")
                        .isEqualTo(journal);
                assertThat(bundle(api).map(BundleState::getReason))
                        .as("the API was unreachable")
                        .contains("Proven");

                // once the API answers again, the node's entry says what the start did without it
                api.proxy.restore();
                agent.loop.resync();
                await(
                        "the node's entry says RestoredFromLocalState",
                        () -> bundle(api).map(BundleState::getReason).equals(Optional.of("RestoredFromLocalState")));
                assertThat(bundle(api).orElseThrow().getMessage())
                        .contains("version 1 restored from the agent's journal")
                        .contains("drop-in of " + UNIT + " written again");
                assertThat(bundle(api).orElseThrow().getPhase()).isEqualTo(BundlePhase.Active);
                // and an Event on the ConfextNode says it too, once
                await(
                        "a RestoredFromLocalState event",
                        () -> api.admin.v1().events().inNamespace("default").list().getItems().stream()
                                .anyMatch(e -> "RestoredFromLocalState".equals(e.getReason())));
                assertThat(api.admin.v1().events().inNamespace("default").list().getItems())
                        .filteredOn(e -> "RestoredFromLocalState".equals(e.getReason()))
                        .singleElement()
                        .satisfies(e -> {
                            assertThat(e.getType()).isEqualTo("Normal");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("node-a");
                            assertThat(e.getMessage()).contains("version 1 restored from the agent's journal");
                        });
            }
        }
    }

    static Optional<BundleState> bundle(MockApi api) {
        ConfextNode n = api.node("node-a");
        if (n == null || n.getStatus() == null || n.getStatus().getBundles() == null) {
            return Optional.empty();
        }
        return n.getStatus().getBundles().stream()
                .filter(b -> "demo".equals(b.getName()))
                .findFirst();
    }
}
