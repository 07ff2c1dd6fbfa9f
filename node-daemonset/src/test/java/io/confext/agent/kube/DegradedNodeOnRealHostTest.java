package io.confext.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.SystemdHostApplier;
import io.confext.agent.state.StateLayout;
import io.confext.agent.unithealth.UnitWatcher;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ConfextNode follows the unit: the agent wired as AgentMain wires it (work loop, watch, {@link UnitWatcher} waking
 * the loop) on a real systemd 262 host, the API on fabric8's mock server. A unit killed after its version was proven
 * is Degraded in the ConfextNode's status within seconds, not at the next resync (an hour here).
 */
@SystemdHostTest
class DegradedNodeOnRealHostTest {
    /** Not demo.service: the test hosts share one cgroup tree, and a kill in one would reach another's unit. */
    private static final String UNIT = "demo-degraded-" + Long.toHexString(System.nanoTime() & 0xffffff) + ".service";

    @Test
    void aUnitKilledAfterTheRolloutMakesTheConfextNodeDegradedWithinSeconds(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, UNIT);
        RevisionContent v1 = new RevisionContent(
                "1",
                Scope.Service,
                List.of(UNIT),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("demo/demo.conf", "version=1\n", "0644"))),
                null,
                ReloadMode.ReloadOrRestart,
                0);
        try (MockApi api = new MockApi()) {
            api.admin.resource(Fixtures.revision("demo-1", v1)).create();
            api.admin
                    .resource(Fixtures.node("node-a", Fixtures.desired("demo", "demo-1", v1)))
                    .create();
            SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), StateLayout.DEFAULT_HOST_DIR);
            try (RunningAgent agent = new RunningAgent(api.agentClient, "node-a", applier);
                    UnitWatcher watcher = new UnitWatcher(
                            host.leaderPid(),
                            StateLayout.DEFAULT_HOST_DIR,
                            agent.loop::resync,
                            Duration.ofMinutes(1),
                            Clock.systemUTC())) {
                watcher.start();
                RunningAgent.await("demo 1 Active", () -> phase(api) == BundlePhase.Active);

                Instant kill = Instant.now();
                host.execOk("systemctl", "kill", "-s", "KILL", UNIT);
                while (phase(api) != BundlePhase.Degraded) {
                    assertThat(Duration.between(kill, Instant.now()))
                            .as("Degraded within seconds; status now: "
                                    + entry(api).getPhase() + " " + entry(api).getMessage())
                            .isLessThan(Duration.ofSeconds(10));
                    Thread.sleep(100);
                }
                BundleState s = entry(api);
                assertThat(s.getReason()).isEqualTo("UnitFailed");
                assertThat(s.getMessage()).contains(UNIT).contains("killed by signal 9 (KILL)");
                assertThat(s.getActiveVersion()).isEqualTo("1");
                assertThat(api.node("node-a").getStatus().getActiveBundles())
                        .as("no longer counted active")
                        .isZero();
            }
        }
    }

    private static BundleState entry(MockApi api) {
        ConfextNode n = api.node("node-a");
        if (n == null || n.getStatus() == null || n.getStatus().getBundles() == null) {
            return new BundleState();
        }
        return n.getStatus().getBundles().stream()
                .filter(b -> "demo".equals(b.getName()))
                .findFirst()
                .orElse(new BundleState());
    }

    private static BundlePhase phase(MockApi api) {
        return entry(api).getPhase();
    }
}
