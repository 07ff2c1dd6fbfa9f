package io.confext.operator.bench;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.operator.OperatorSettings;
import io.confext.operator.bundle.BundleReconciler;
import io.confext.testsupport.BundleBuilder;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A simulated fleet (default 2,000 nodes, 20 bundles) rolled from nothing to version 1 and then to
 * version 2, against fabric8's mock API server in the same JVM. Not a timed test: it runs only with
 * {@code -Dbench=true} and prints the numbers for BENCHMARKS.md.
 *
 * <p>The operator's API writes are counted by an interceptor on its own client; the simulated
 * agents (one informer that answers for every node after {@code bench.agentDelayMs}) use a
 * second client. CPU time is the sum over JOSDK's reconciler threads; the process figures
 * (CPU, RSS) include the mock server and the simulated agents, so they are upper bounds.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class FleetBenchmark {
    final int nodes = Integer.getInteger("bench.nodes", 2000);
    final int bundles = Integer.getInteger("bench.bundles", 20);
    final long agentDelayMs = Long.getLong("bench.agentDelayMs", 50);

    final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();
    final Map<String, ConcurrentLinkedQueue<Long>> statusWriteTimes = new ConcurrentHashMap<>();
    /** The wave probe: a bundle on 3 nodes of their own, maxUnavailable 1; when each node's report of each revision went through. */
    static final String PROBE = "wave-probe";

    static final int PROBE_NODES = 3;
    final Map<String, Map<String, Long>> probeProven = new ConcurrentHashMap<>();

    @Test
    void rollTwoVersionsOverTheFleet() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        KubernetesClient setup = server.createClient();
        for (String crd : List.of("confextbundles.confext.io", "confextnodes.confext.io")) {
            try (InputStream in =
                    getClass().getClassLoader().getResourceAsStream("META-INF/fabric8/" + crd + "-v1.yml")) {
                setup.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
                        .create();
            }
        }
        setup.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("confext-system")
                        .endMetadata()
                        .build())
                .create();
        for (int i = 0; i < nodes + PROBE_NODES; i++) {
            String name = i < nodes ? "node-%05d".formatted(i) : "probe-" + (i - nodes);
            String role = i < nodes ? "worker" : "probe";
            var node = setup.nodes()
                    .resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .addToLabels("role", role)
                            .endMetadata()
                            .build())
                    .create();
            ConfextNode cxn = new ConfextNode();
            cxn.setMetadata(new ObjectMetaBuilder().withName(name).build());
            ConfextNodeSpec spec = new ConfextNodeSpec();
            spec.setBundles(new ArrayList<>());
            cxn.setSpec(spec);
            setup.resources(ConfextNode.class).resource(cxn).create();
            ConfextNode created =
                    setup.resources(ConfextNode.class).withName(name).get();
            ConfextNodeStatus st = new ConfextNodeStatus();
            st.setConditions(List.of(new ConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withReason("AgentReady")
                    .withMessage("")
                    .withLastTransitionTime(Instant.now().toString())
                    .build()));
            st.setBundles(new ArrayList<>());
            created.setStatus(st);
            setup.resources(ConfextNode.class).resource(created).updateStatus();
            if (node == null) {
                throw new IllegalStateException("node not created");
            }
        }

        KubernetesClient agentsClient = server.createClient();
        ScheduledExecutorService agentPool = Executors.newScheduledThreadPool(4);
        var agentInformer = agentsClient
                .resources(ConfextNode.class)
                .inform(
                        new ResourceEventHandler<ConfextNode>() {
                            @Override
                            public void onAdd(ConfextNode obj) {
                                answer(obj);
                            }

                            @Override
                            public void onUpdate(ConfextNode oldObj, ConfextNode newObj) {
                                answer(newObj);
                            }

                            @Override
                            public void onDelete(ConfextNode obj, boolean deletedFinalStateUnknown) {}

                            void answer(ConfextNode n) {
                                if (n.getSpec() == null || n.getSpec().getBundles() == null) {
                                    return;
                                }
                                boolean pending =
                                        n.getSpec().getBundles().stream().anyMatch(d -> !reported(n, d));
                                if (pending) {
                                    agentPool.schedule(
                                            () -> report(
                                                    agentsClient,
                                                    n.getMetadata().getName()),
                                            agentDelayMs,
                                            TimeUnit.MILLISECONDS);
                                }
                            }
                        },
                        0);

        KubernetesClient operatorClient = new KubernetesClientBuilder()
                .withConfig(setup.getConfiguration())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count-writes", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        String m = request.method();
                        if (m.equals("GET")) {
                            return;
                        }
                        String path = request.uri().getPath();
                        String kind = path.contains("/confextnodes/")
                                ? "confextnode-spec"
                                : path.contains("/confextbundles/") && path.endsWith("/status")
                                        ? "bundle-status"
                                        : path.contains("/confextbundles/")
                                                ? "bundle-metadata"
                                                : path.contains("/controllerrevisions")
                                                        ? "controllerrevision"
                                                        : path.contains("/events")
                                                                ? "event"
                                                                : "other:" + m + " " + path;
                        writes.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                        if (kind.equals("bundle-status")) {
                            String bundle = path.replaceAll(".*/confextbundles/([^/]+)/status", "$1");
                            statusWriteTimes
                                    .computeIfAbsent(bundle, k -> new ConcurrentLinkedQueue<>())
                                    .add(System.nanoTime());
                        }
                    }
                }))
                .build();

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Long> reconcilerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        var reconcilePool = Executors.newFixedThreadPool(20, r -> {
            Thread t = new Thread(r, "bench-reconciler");
            reconcilerThreads.add(t.getId());
            return t;
        });
        Operator operator = new Operator(o -> o.withKubernetesClient(operatorClient)
                .withCloseClientOnStop(false)
                .withExecutorService(reconcilePool)
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false));
        // The reconciles run on a pool whose threads we know, so their CPU time can be summed. (A
        // subclass of the reconciler would do too, but Quarkus tests would then find it as a bean.)
        operator.register(new BundleReconciler(
                new OperatorSettings("confext-system", Duration.ofMinutes(5), "confext-system"),
                Clock.systemUTC(),
                new SimpleMeterRegistry()));
        operator.start();

        StringBuilder report = new StringBuilder();
        for (String version : List.of("1", "2")) {
            writes.clear();
            statusWriteTimes.clear();
            long cpu0 = cpuOf(threads, reconcilerThreads);
            long proc0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int b = 0; b < bundles; b++) {
                String name = "bundle-%02d".formatted(b);
                if (version.equals("1")) {
                    setup.resources(ConfextBundle.class)
                            .resource(bundle(name, version))
                            .create();
                } else {
                    setup.resources(ConfextBundle.class).withName(name).edit(x -> {
                        x.getSpec().setVersion(version);
                        x.getSpec().getSource().getFiles().get(0).setContent("v=" + version + "\n");
                        return x;
                    });
                }
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            int done = 0;
            while (System.nanoTime() < deadline) {
                done = 0;
                for (ConfextBundle b :
                        setup.resources(ConfextBundle.class).list().getItems()) {
                    var s = b.getStatus();
                    if (s != null
                            && version.equals(s.getCurrentVersion())
                            && s.getReady() != null
                            && s.getReady() == nodes) {
                        done++;
                    }
                }
                if (done == bundles) {
                    break;
                }
                Thread.sleep(500);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long transitions = (long) nodes * bundles;
            long cpu = cpuOf(threads, reconcilerThreads) - cpu0;
            long proc = os.getProcessCpuTime() - proc0;
            long specWrites =
                    writes.getOrDefault("confextnode-spec", new AtomicLong()).get();
            long statusWrites =
                    writes.getOrDefault("bundle-status", new AtomicLong()).get();
            double maxStatusRate = statusWriteTimes.values().stream()
                    .mapToDouble(q -> maxPerSecond(new ArrayList<>(q)))
                    .max()
                    .orElse(0);
            int statusBytes = setup.resources(ConfextBundle.class).list().getItems().stream()
                    .mapToInt(b -> Serialization.asJson(b.getStatus()).getBytes(StandardCharsets.UTF_8).length)
                    .max()
                    .orElse(0);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            report.append("""
                    version %s: %d/%d bundles complete in %.1f s
                      node transitions (node x bundle): %d
                      operator ConfextNode spec writes: %d  (%.3f per node per bundle version)
                      bundle status writes: %d total, at most %.0f in any 1 s window for one bundle
                      other operator writes: %s
                      bundle status writes per bundle per second (mean): %.2f
                      CPU of the reconciler threads: %.2f s  (%.1f us per node transition)
                      whole-process CPU (operator + mock API server + simulated agents): %.1f s
                      largest bundle status: %d bytes
                      heap used after GC (whole JVM): %d MiB; process RSS: %d MiB
                    """.formatted(
                            version,
                            done,
                            bundles,
                            seconds,
                            transitions,
                            specWrites,
                            (double) specWrites / transitions,
                            statusWrites,
                            maxStatusRate,
                            otherWrites(),
                            statusWrites / seconds / bundles,
                            cpu / 1e9,
                            cpu / 1e3 / transitions,
                            proc / 1e9,
                            statusBytes,
                            heap >> 20,
                            rssMiB()));
        }
        report.append(waveProbe(setup));
        operator.stop();
        reconcilePool.shutdownNow();
        agentInformer.close();
        agentPool.shutdownNow();
        String header = "nodes=%d bundles=%d agentDelayMs=%d, maxUnavailable=20%%, canary 1, minReadySeconds 0%n"
                .formatted(nodes, bundles, agentDelayMs);
        System.out.println("=== FleetBenchmark ===\n" + header + report);
        Files.writeString(Path.of("target", "fleet-benchmark.txt"), header + report);
        operatorClient.close();
        agentsClient.close();
        setup.close();
        server.destroy();
    }

    private static boolean reported(ConfextNode n, DesiredBundle d) {
        if (n.getStatus() == null || n.getStatus().getBundles() == null) {
            return false;
        }
        return n.getStatus().getBundles().stream()
                .anyMatch(s -> s.getName().equals(d.getName())
                        && d.getRevision().getName().equals(s.getRevision())
                        && s.getPhase() == BundlePhase.Active);
    }

    /**
     * Wave overhead: the probe bundle rolls out versions 1, 2, 3 one node at a time (maxUnavailable 1, minReadySeconds 0)
     * once the fleet is done; the gap from one node's report of a revision to the next node's.
     */
    private String waveProbe(KubernetesClient setup) throws InterruptedException {
        StringBuilder out = new StringBuilder(
                "wave probe: %d nodes, maxUnavailable 1, minReadySeconds 0, agents answer after %d ms%n"
                        .formatted(PROBE_NODES, agentDelayMs));
        for (String version : List.of("1", "2", "3")) {
            if (version.equals("1")) {
                setup.resources(ConfextBundle.class).resource(probe(version)).create();
            } else {
                setup.resources(ConfextBundle.class).withName(PROBE).edit(x -> {
                    x.getSpec().setVersion(version);
                    x.getSpec().getSource().getFiles().get(0).setContent("v=" + version + "\n");
                    return x;
                });
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            String revision = null;
            while (System.nanoTime() < deadline) {
                ConfextBundle b =
                        setup.resources(ConfextBundle.class).withName(PROBE).get();
                var st = b == null ? null : b.getStatus();
                if (st != null
                        && version.equals(st.getCurrentVersion())
                        && st.getReady() != null
                        && st.getReady() == PROBE_NODES) {
                    revision = st.getCurrentRevision();
                    break;
                }
                Thread.sleep(100);
            }
            List<Long> proven = revision == null
                    ? List.of()
                    : probeProven.getOrDefault(revision, Map.of()).values().stream()
                            .sorted()
                            .toList();
            StringBuilder line = new StringBuilder("  version %s: %s"
                    .formatted(version, revision == null ? "NOT COMPLETED" : proven.size() + " nodes proven;"));
            for (int i = 1; i < proven.size(); i++) {
                line.append(" gap %d->%d %d ms;".formatted(i, i + 1, (proven.get(i) - proven.get(i - 1)) / 1_000_000));
            }
            out.append(line).append(System.lineSeparator());
        }
        return out.toString();
    }

    static ConfextBundle probe(String version) {
        return BundleBuilder.bundle(PROBE, version)
                .units("demo.service")
                .file(PROBE + "/demo.conf", "v=" + version + "\n")
                .nodeSelector(Map.of("role", "probe"))
                .rollout(r -> {
                    r.setMaxUnavailable(new IntOrString(1));
                    r.setMinReadySeconds(0);
                })
                .build();
    }

    /** The agent side: one status write that reports every desired bundle Active (a fast agent). */
    private void report(KubernetesClient client, String node) {
        try {
            ConfextNode written = client.resources(ConfextNode.class)
                    .withName(node)
                    .editStatus(n -> {
                        List<BundleState> states = new ArrayList<>();
                        String now = Instant.now().toString();
                        for (DesiredBundle d : n.getSpec().getBundles()) {
                            BundleState s = new BundleState();
                            s.setName(d.getName());
                            s.setRevision(d.getRevision().getName());
                            s.setDigest(d.getRevision().getDigest());
                            s.setDesiredVersion(d.getVersion());
                            s.setActiveVersion(d.getVersion());
                            s.setPhase(BundlePhase.Active);
                            s.setReason("Proven");
                            s.setSince(now);
                            states.add(s);
                        }
                        n.getStatus().setBundles(states);
                        return n;
                    });
            if (node.startsWith("probe-")) {
                long at = System.nanoTime();
                written.getStatus().getBundles().stream()
                        .filter(b -> PROBE.equals(b.getName()))
                        .forEach(b -> probeProven
                                .computeIfAbsent(b.getRevision(), r -> new ConcurrentHashMap<>())
                                .putIfAbsent(node, at));
            }
        } catch (RuntimeException e) {
            // a concurrent write won: the informer's next event answers again
        }
    }

    private String otherWrites() {
        Map<String, Long> m = new java.util.TreeMap<>();
        writes.forEach((k, v) -> {
            if (!k.equals("confextnode-spec") && !k.equals("bundle-status")) {
                m.put(k, v.get());
            }
        });
        return m.toString();
    }

    private static double maxPerSecond(List<Long> times) {
        times.sort(Long::compare);
        int best = 0;
        int j = 0;
        for (int i = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= 1_000_000_000L) {
                j++;
            }
            best = Math.max(best, i - j + 1);
        }
        return best;
    }

    private static long cpuOf(ThreadMXBean threads, List<Long> ids) {
        long sum = 0;
        for (long id : ids) {
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }

    private static long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }

    static ConfextBundle bundle(String name, String version) {
        return BundleBuilder.bundle(name, version)
                .units("demo.service")
                .file(name + "/demo.conf", "v=" + version + "\n")
                .nodeSelector(Map.of("role", "worker"))
                .rollout(r -> {
                    r.setMaxUnavailable(new IntOrString("20%"));
                    var canary = new io.confext.api.v1alpha1.Canary();
                    canary.setCount(1);
                    r.setCanary(canary);
                })
                .build();
    }
}
