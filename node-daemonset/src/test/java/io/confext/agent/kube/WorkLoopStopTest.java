package io.confext.agent.kube;

import static io.confext.agent.kube.Fixtures.content;
import static io.confext.agent.kube.Fixtures.desired;
import static io.confext.agent.kube.Fixtures.node;
import static io.confext.agent.kube.Fixtures.revision;
import static io.confext.agent.kube.RunningAgent.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.apply.ConvergeAbandoned;
import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.apply.HostApplier;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.HostFacts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkLoop#close} (the agent's SIGTERM) against the mock API with a host double whose converge takes as
 * long as the test says: the pass in flight may finish within the grace and is reported; one that outlasts it is
 * interrupted only after the host was told the agent is stopping, and its abandonment writes no status.
 */
class WorkLoopStopTest {

    /** A host whose converge holds for {@link #holdMillis}; interrupted, it answers as the real host side does. */
    static final class SlowHost implements HostApplier {
        final AtomicInteger calls = new AtomicInteger();
        volatile long holdMillis;
        volatile boolean stopping;
        volatile boolean inConverge;
        volatile Boolean stoppingWhenInterrupted;

        @Override
        public HostFacts facts() {
            return new RecordingHost().facts();
        }

        @Override
        public List<BundleState> converge(List<DesiredBundleContent> desired) {
            calls.incrementAndGet();
            inConverge = true;
            try {
                Thread.sleep(holdMillis);
            } catch (InterruptedException e) {
                stoppingWhenInterrupted = stopping;
                if (stopping) {
                    throw new ConvergeAbandoned("interrupted by the stop", e);
                }
                // what an interrupt used to become: a failed proof, and a rollback of a good version
                return desired.stream()
                        .map(d -> RecordingHost.state(d, BundlePhase.RolledBack, "ProofFailed", null))
                        .toList();
            } finally {
                inConverge = false;
            }
            return desired.stream()
                    .map(d -> RecordingHost.state(
                            d, BundlePhase.Active, "Proven", d.content().version()))
                    .toList();
        }

        @Override
        public void stopping() {
            stopping = true;
        }
    }

    private MockApi api;
    private final SlowHost host = new SlowHost();
    private RunningAgent agent;
    private final RevisionContent v1 = content("1");
    private final RevisionContent v2 = content("2");

    @BeforeEach
    void setUp() throws Exception {
        api = new MockApi();
        api.admin.resource(revision("demo-1", v1)).create();
        api.admin.resource(revision("demo-2", v2)).create();
        api.admin.resource(node("node-a", desired("demo", "demo-1", v1))).create();
        agent = new RunningAgent(api.agentClient, "node-a", host);
        await("demo 1 Active", () -> demo() != null && demo().getPhase() == BundlePhase.Active);
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.close();
        api.close();
    }

    private BundleState demo() {
        ConfextNode n = api.node("node-a");
        if (n == null || n.getStatus() == null || n.getStatus().getBundles() == null) {
            return null;
        }
        return n.getStatus().getBundles().stream()
                .filter(b -> "demo".equals(b.getName()))
                .findFirst()
                .orElse(null);
    }

    private void desire(RevisionContent v, String revision) {
        api.admin.resources(ConfextNode.class).withName("node-a").edit(n -> {
            n.getSpec().setBundles(List.of(desired("demo", revision, v)));
            return n;
        });
    }

    @Test
    void aPassThatFinishesWithinTheGraceIsReported() throws Exception {
        host.holdMillis = 1500;
        desire(v2, "demo-2");
        await("the host converging demo 2", () -> host.inConverge);

        boolean finished = agent.loop.close(Duration.ofSeconds(20), Duration.ofSeconds(5));

        assertThat(finished).isTrue();
        assertThat(host.stopping).as("the host was told").isTrue();
        assertThat(host.stoppingWhenInterrupted).as("never interrupted").isNull();
        assertThat(demo().getPhase()).isEqualTo(BundlePhase.Active);
        assertThat(demo().getActiveVersion()).isEqualTo("2");
    }

    @Test
    void aPassThatOutlastsTheGraceIsInterruptedAfterTheHostKnowsAndWritesNoVerdict() throws Exception {
        host.holdMillis = 60_000;
        desire(v2, "demo-2");
        await("the host converging demo 2", () -> host.inConverge);
        String before = api.node("node-a").getMetadata().getResourceVersion();

        long start = System.nanoTime();
        boolean finished = agent.loop.close(Duration.ofMillis(300), Duration.ofSeconds(5));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(finished).isFalse();
        assertThat(tookMillis).as("the stop is bounded").isLessThan(5_000);
        assertThat(host.stoppingWhenInterrupted)
                .as("interrupted only after stopping()")
                .isTrue();
        assertThat(api.node("node-a").getMetadata().getResourceVersion())
                .as("no status written")
                .isEqualTo(before);
        assertThat(demo().getPhase()).isEqualTo(BundlePhase.Active);
        assertThat(demo().getActiveVersion()).isEqualTo("1");

        // closed: new desired states and resyncs are not taken up any more
        int calls = host.calls.get();
        desire(v1, "demo-1");
        agent.loop.resync();
        agent.loop.submit(api.node("node-a"));
        Thread.sleep(500);
        assertThat(host.calls.get()).isEqualTo(calls);
    }
}
