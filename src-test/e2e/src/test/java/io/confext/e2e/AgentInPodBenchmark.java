package io.confext.e2e;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.box.Box;
import io.confext.box.BoxHost;
import io.confext.box.BoxSettings;
import io.confext.box.DemoBundles;
import io.confext.box.NodesBox;
import io.confext.box.RolloutOutcome;
import io.confext.testsupport.tier.E2eTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * BENCHMARKS.md "The product on real nodes": in one run, the cluster in a box on real nodes (helm install, agents
 * as DaemonSet pods in the agent image) and then in the process mode (agents as plain JVMs through the same
 * launcher), each with 3 hosts and the sample bundle rolled out. Measures the time from {@code helm install} to
 * every agent Ready and to the sample proven on every node, and each agent's resident memory, read from the
 * process ({@code VmRSS}; the test nodes' cgroups have no memory controller), sampled after a settling time.
 * Not a test (no assertions, not run by Surefire):
 * <pre>
 * ./mvnw -B -o -pl src-test/e2e test-compile
 * java -cp src-test/e2e/target/test-classes:src-test/e2e/target/classes:$(cat src-test/e2e/target/box.classpath) \
 *     -Djava.util.logging.manager=java.util.logging.LogManager -Dconfext.repo.root=$PWD io.confext.e2e.AgentInPodBenchmark
 * </pre>
 */
@E2eTest
public final class AgentInPodBenchmark {

    static final Duration SETTLE = Duration.ofSeconds(Long.getLong("settleSeconds", 90));
    static final int SAMPLES = 10;

    public static void main(String[] args) throws Exception {
        Path root = BoxSettings.defaultRepoRoot();
        List<Long> podRss = new ArrayList<>();
        try (NodesBox box = NodesBox.start(root, 3, System.out)) {
            Instant applied = Instant.now();
            box.kubectlApply(DemoBundles.yaml());
            ConfextBundle sample = DemoBundles.sample();
            while (!RolloutOutcome.complete(
                    box.client()
                            .resources(ConfextBundle.class)
                            .withName(sample.getMetadata().getName())
                            .get(),
                    sample.getSpec().getVersion(),
                    3)) {
                Thread.sleep(200);
            }
            System.out.println("[bench] nodes: kubectl apply to proven on 3 nodes: "
                    + Duration.between(applied, Instant.now()).toMillis() + " ms");
            Thread.sleep(SETTLE.toMillis());
            List<Long> agents = agentPids();
            System.out.println("[bench] nodes: agent JVMs " + agents);
            podRss.addAll(sample(agents));
        }
        List<Long> processRss = new ArrayList<>();
        Path work = Files.createTempDirectory("bench-box");
        try (Box box = Box.start(new BoxSettings(root, work, List.of("bench-a", "bench-b", "bench-c"), System.out))) {
            box.apply(DemoBundles.sample());
            ConfextBundle sample = DemoBundles.sample();
            while (!RolloutOutcome.complete(
                    box.client()
                            .resources(ConfextBundle.class)
                            .withName(sample.getMetadata().getName())
                            .get(),
                    sample.getSpec().getVersion(),
                    3)) {
                Thread.sleep(200);
            }
            Thread.sleep(SETTLE.toMillis());
            List<Long> agents = box.hosts().stream()
                    .map(BoxHost::agent)
                    .map(a -> javaChild(a.pid()))
                    .toList();
            System.out.println("[bench] processes: agent JVMs " + agents);
            processRss.addAll(sample(agents));
        }
        long pod = median(podRss);
        long proc = median(processRss);
        System.out.printf(
                "[bench] agent RSS median over %d samples x 3 agents: in its pod %.1f MiB, as a process %.1f MiB, ratio %.2f%n",
                SAMPLES, pod / 1024.0, proc / 1024.0, (double) pod / proc);
    }

    /** The agent JVMs running in the test nodes: java processes whose command line runs the agent's fast-jar. */
    static List<Long> agentPids() {
        return ProcessHandle.allProcesses()
                .filter(p -> cmdline(p.pid()).contains("/opt/confext-agent/quarkus-run.jar"))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** The launcher execs java, so the child's pid is the JVM's; a shell wrapper would leave java as its child. */
    static long javaChild(long pid) {
        return cmdline(pid).contains("quarkus-run.jar")
                ? pid
                : ProcessHandle.of(pid)
                        .flatMap(h -> h.descendants()
                                .filter(d -> cmdline(d.pid()).contains("quarkus-run.jar"))
                                .findFirst())
                        .map(ProcessHandle::pid)
                        .orElse(pid);
    }

    static List<Long> sample(List<Long> pids) throws InterruptedException {
        List<Long> kib = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            for (long pid : pids) {
                rssKib(pid).ifPresent(kib::add);
            }
            Thread.sleep(3000);
        }
        return kib;
    }

    static Optional<Long> rssKib(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                    .findFirst();
        } catch (IOException gone) {
            return Optional.empty();
        }
    }

    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    static long median(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return v.length == 0 ? 0 : v[v.length / 2];
    }

    private AgentInPodBenchmark() {}
}
