package io.confext.agent.kube;

import static io.confext.agent.kube.RunningAgent.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.SystemdHostApplier;
import io.confext.agent.state.StateLayout;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import io.fabric8.kubernetes.api.model.Event;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The agent's Events on a real systemd 262 host, through the Kubernetes side (the API server is fabric8's mock, as in
 * {@link AgentOnRealHostTest}): the first attachment of the running demo.service is announced as a RestartPlanned
 * Event, and a file of the staged version edited on the host is repaired on the next resync and told as one Drifted
 * Warning on the ConfextNode, naming the changed host path; a second drift counts the same Event up.
 */
@SystemdHostTest
class DriftEventOnSystemd262Test {
    private static final String UNIT = "demo.service";
    private static final String CONF = StateLayout.DEFAULT_HOST_DIR + "/bundles/demo.v/demo_1/etc/demo/demo.conf";

    private static RevisionContent demo(String version) {
        return new RevisionContent(
                version,
                Scope.Service,
                List.of(UNIT),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile("demo/demo.conf", "version=" + version + "\n", "0644"))),
                null,
                ReloadMode.Reload,
                0);
    }

    @Test
    void aRepairedDriftIsAWarningEventOnTheConfextNode(@Host(HostImage.FORKY) SystemdHost host) throws Exception {
        DemoService.install(host, UNIT);
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
                await("demo 1 Active", () -> reason(api).isPresent());
                assertThat(events(api, "RestartPlanned"))
                        .as("the first attachment of the running unit, announced")
                        .singleElement()
                        .satisfies(e -> {
                            assertThat(e.getType()).isEqualTo("Normal");
                            assertThat(e.getMessage())
                                    .startsWith("bundle demo version 1: ")
                                    .contains(UNIT);
                        });
                assertThat(events(api, "Drifted")).isEmpty();

                host.writeFile(CONF, "version=1\ntampered=yes\n", "0644");
                agent.loop.resync();
                await("a Drifted event", () -> drifted(api, 1));
                Event e = events(api, "Drifted").get(0);
                ConfextNode n = api.node("node-a");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("ConfextNode");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("node-a");
                assertThat(e.getInvolvedObject().getUid())
                        .isEqualTo(n.getMetadata().getUid());
                assertThat(e.getMessage())
                        .startsWith("bundle demo version 1: drift repaired from the verified revision")
                        .contains("changed " + CONF);
                assertThat(reason(api)).contains("Drifted");
                assertThat(host.readFile(CONF)).as("repaired from the revision").isEqualTo("version=1\n");
                assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf"))
                        .contains("version=1\n");

                // drifted again: the same Event, counted up, not a second one
                host.writeFile(CONF, "version=1\ntampered=again\n", "0644");
                agent.loop.resync();
                await("the Drifted event counted twice", () -> drifted(api, 2));
                assertThat(events(api, "Drifted").get(0).getMetadata().getName())
                        .isEqualTo(e.getMetadata().getName());
                assertThat(host.readFile(CONF)).isEqualTo("version=1\n");
            }
        }
    }

    private static List<Event> events(MockApi api, String reason) {
        return api.admin.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    private static boolean drifted(MockApi api, int count) {
        List<Event> d = events(api, "Drifted");
        return d.size() == 1 && Objects.equals(d.get(0).getCount(), count);
    }

    /** The demo bundle's reason once it is Active. */
    private static Optional<String> reason(MockApi api) {
        ConfextNode n = api.node("node-a");
        if (n == null || n.getStatus() == null || n.getStatus().getBundles() == null) {
            return Optional.empty();
        }
        return n.getStatus().getBundles().stream()
                .filter(b -> "demo".equals(b.getName()) && b.getPhase() == BundlePhase.Active)
                .map(b -> b.getReason())
                .findFirst();
    }
}
