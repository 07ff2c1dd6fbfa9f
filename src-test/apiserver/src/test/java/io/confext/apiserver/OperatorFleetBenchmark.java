package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.confext.api.v1alpha1.Canary;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.apiserver.AuditLog.AuditedWrite;
import io.confext.testbed.K8sBinaries;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.tier.ApiServerTest;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire picks up no *Benchmark class; run it with -Dtest): the packaged
 * operator in a process of its own, configured from the Deployment that {@code helm install} of the
 * chart created and authenticated as the chart's operator ServiceAccount, against a real
 * kube-apiserver + etcd whose audit log counts the operator's writes. A simulated fleet (default
 * 2,000 Nodes, 20 bundles; agents played by {@link FleetAgents} in this JVM) joins, then every
 * bundle rolls out version 1 and then upgrades to version 2. Per phase it reports the operator's
 * writes (from the audit log), its CPU time (/proc/pid/stat), its resident memory (/proc/pid/status),
 * and the largest bundle status; then its steady RSS while idle. The report goes to stdout and
 * {@code target/operator-fleet-benchmark/report.txt}.
 *
 * <p>Build first: {@code ./mvnw -B -o -pl operator -am package -DskipTests}. Knobs: -Dbench.nodes,
 * -Dbench.bundles, -Dbench.agentDelayMs, -Dbench.agentThreads, -Dbench.steadySeconds,
 * -Dbench.versionTimeoutMinutes, -Dbench.operatorJvmFlags (appended to the chart's, e.g. "-Xmx512m").
 */
@ApiServerTest
class OperatorFleetBenchmark {

    private static final String NAMESPACE = "confext-system";
    private static final String RELEASE = "confext-operator";
    private static final String POD = RELEASE + "-bench-0";
    private static final Map<String, String> WORKER = Map.of("role", "worker", "kubernetes.io/os", "linux");
    /**
     * The wave probe: a bundle on 3 nodes of their own with {@code maxUnavailable: 1}, so each node is a wave, rolled
     * out once the fleet is done (the operator's caches then hold the whole fleet); the agents time its every step.
     */
    private static final String PROBE = "wave-probe";

    private static final Map<String, String> PROBE_LABELS = Map.of("role", "probe", "kubernetes.io/os", "linux");
    private static final int PROBE_NODES = 3;

    private final int nodes = Integer.getInteger("bench.nodes", 2000);
    private final int bundles = Integer.getInteger("bench.bundles", 20);
    private final long agentDelayMs = Long.getLong("bench.agentDelayMs", 50);
    private final int agentThreads = Integer.getInteger("bench.agentThreads", 8);
    private final int steadySeconds = Integer.getInteger("bench.steadySeconds", 60);
    /** Appended to the chart's JVM flags, e.g. a larger -Xmx when the chart's heap does not hold the fleet. */
    private final List<String> extraJvmFlags =
            List.of(System.getProperty("bench.operatorJvmFlags", "").trim().split("\\s+")).stream()
                    .filter(f -> !f.isEmpty())
                    .toList();

    private final Duration versionTimeout = Duration.ofMinutes(Long.getLong("bench.versionTimeoutMinutes", 30));

    private final StringBuilder report = new StringBuilder();

    @Test
    void fleetRolloutCostsOfTheOperatorProcess() throws Exception {
        K8sBinaries binaries = K8sBinaries.find();
        assumeTrue(binaries.available(), binaries.unavailableMessage());
        RepoFiles repo = RepoFiles.fromBuild();
        // another build of the operator (e.g. the commit before a change, for an A/B on the same machine)
        Path jar = Optional.ofNullable(System.getProperty("bench.operatorJar"))
                .map(Path::of)
                .orElse(repo.root().resolve("operator/target/quarkus-app/quarkus-run.jar"));
        Path work = Path.of("target", "operator-fleet-benchmark").toAbsolutePath();
        String operatorUser = "system:serviceaccount:" + NAMESPACE + ":" + RELEASE;

        try (AuditedApiServer server = AuditedApiServer.start(binaries, work, operatorUser)) {
            KubernetesClient admin = server.api().admin();
            ChartInstaller.install(server.api(), RELEASE, NAMESPACE);
            Crds.installAll(admin, repo.crds());
            Deployment deployment = admin.apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .withName(RELEASE)
                    .get();
            ChartOperatorLaunch launch = ChartOperatorLaunch.from(deployment, POD);
            assertThat(launch.serviceAccount())
                    .as("the audit policy filters on this service account")
                    .isEqualTo(RELEASE);

            createNodes(admin);
            Path kubeconfig = work.resolve("operator-kubeconfig.yaml");
            Files.writeString(kubeconfig, server.kubeConfigWithToken(token(admin, launch.serviceAccount())));
            Map<String, String> env = new java.util.LinkedHashMap<>(launch.env());
            env.put("KUBECONFIG", kubeconfig.toString());
            // other processes on this machine may hold 8080: any free port, on loopback only
            env.put("QUARKUS_HTTP_PORT", "0");
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");

            // The agents write as cluster admin on a client of their own: the chart's admission policy admits only
            // node-bound agent tokens, and 2,000 of those would measure the benchmark, not the operator.
            try (KubernetesClient agentClient = new KubernetesClientBuilder()
                            .withConfig(admin.getConfiguration())
                            .build();
                    FleetAgents agents =
                            new FleetAgents(agentClient, agentDelayMs, agentThreads, java.util.Set.of(PROBE))) {
                Instant joinStart = Instant.now();
                try (OperatorProcess operator =
                                OperatorProcess.start(jar, jvmFlags(launch), env, work.resolve("operator.log"));
                        ProcessMeter meter = new ProcessMeter(operator.pid(), 500)) {
                    header(binaries, launch, operator, env);
                    Optional<Long> apiPid = server.apiServerPid();
                    Mark start = mark(operator, apiPid);
                    operator.awaitStarted(Duration.ofMinutes(3));
                    Mark started = mark(operator, apiPid);
                    report.append("Quarkus started after %.1f s: operator CPU %.1f s, RSS %d MiB%n"
                            .formatted(
                                    seconds(start.at, started.at),
                                    started.operator.cpuSeconds() - start.operator.cpuSeconds(),
                                    started.operator.rssKiB() >> 10));
                    awaitFleetJoined(admin, operator);
                    Mark joined = mark(operator, apiPid);
                    phase(
                            "start + fleet join (the operator creates one ConfextNode per Node; agents report Ready)",
                            server,
                            meter,
                            start,
                            joined,
                            nodes,
                            joinStart,
                            admin);

                    for (String version : List.of("1", "2")) {
                        Mark from = mark(operator, apiPid);
                        applyVersion(admin, version);
                        Instant done;
                        try {
                            done = awaitVersion(admin, operator, version);
                        } catch (IllegalStateException e) {
                            // what the failed phase cost up to here, from the audit log and the last samples
                            Mark last = new Mark(
                                    Instant.now(),
                                    meter.between(from.at, Instant.now()).stream()
                                            .reduce((a, b) -> b)
                                            .orElse(from.operator),
                                    Optional.empty());
                            phase(
                                    "version " + version + ": NOT COMPLETED ("
                                            + e.getMessage().lines().findFirst().orElse("") + ")",
                                    server,
                                    meter,
                                    from,
                                    last,
                                    (long) nodes * bundles,
                                    from.at,
                                    admin);
                            throw e;
                        }
                        Thread.sleep(3000); // the trailing Completed events and status writes of the phase
                        Mark to = mark(operator, apiPid);
                        phase(
                                "version " + version + (version.equals("1") ? " (from nothing)" : " (upgrade)")
                                        + ": complete after " + seconds(from.at, done) + " s",
                                server,
                                meter,
                                from,
                                to,
                                (long) nodes * bundles,
                                from.at,
                                admin);
                    }

                    waveProbe(admin, operator, agents);

                    Mark idleFrom = mark(operator, apiPid);
                    Thread.sleep(steadySeconds * 1000L);
                    Mark idleTo = mark(operator, apiPid);
                    steady(server, meter, idleFrom, idleTo, operator);
                    report.append("simulated agents: %d status writes, %d failed (retried)%n"
                            .formatted(agents.writes(), agents.errors()));
                    assertThat(operator.alive())
                            .as("the operator is still running")
                            .isTrue();
                }
            }
        } finally {
            String text = report.toString();
            System.out.println("=== OperatorFleetBenchmark ===\n" + text);
            Files.createDirectories(work);
            Files.writeString(work.resolve("report.txt"), text, StandardCharsets.UTF_8);
        }
    }

    private List<String> jvmFlags(ChartOperatorLaunch launch) {
        List<String> flags = new ArrayList<>(launch.jvmFlags());
        flags.addAll(extraJvmFlags);
        return flags;
    }

    /** CPU and memory of the operator (and the API server's CPU, for context) at one instant. */
    private record Mark(Instant at, ProcessMeter.Sample operator, Optional<ProcessMeter.Sample> apiServer) {}

    private static Mark mark(OperatorProcess operator, Optional<Long> apiPid) {
        ProcessMeter.Sample s = ProcessMeter.read(operator.pid())
                .orElseThrow(() ->
                        new IllegalStateException("the operator has exited; its log ends with:\n" + operator.tail(40)));
        return new Mark(Instant.now(), s, apiPid.flatMap(ProcessMeter::read));
    }

    private void header(
            K8sBinaries binaries, ChartOperatorLaunch launch, OperatorProcess operator, Map<String, String> env) {
        report.append("""
                fleet: %d nodes x %d bundles; agents answer %d ms after a change (%d writer threads); \
                rollout: maxUnavailable 20%%, canary 1, minReadySeconds 0
                kube-apiserver + etcd %s (audit log: the operator's writes at Metadata level)
                operator: %s
                operator env from the chart's Deployment: %s
                JVM and malloc settings from the chart: JAVA_TOOL_OPTIONS=%s MALLOC_ARENA_MAX=%s
                machine: %d CPUs seen by the JVM, %s
                """.formatted(
                        nodes,
                        bundles,
                        agentDelayMs,
                        agentThreads,
                        binaries.version().orElseThrow(),
                        String.join(" ", operator.command()),
                        String.join(" ", launch.env().keySet()),
                        launch.env().getOrDefault("JAVA_TOOL_OPTIONS", "(none)"),
                        launch.env().getOrDefault("MALLOC_ARENA_MAX", "(none)"),
                        Runtime.getRuntime().availableProcessors(),
                        loadAverage()));
    }

    private void phase(
            String title,
            AuditedApiServer server,
            ProcessMeter meter,
            Mark from,
            Mark to,
            long transitions,
            Instant windowStart,
            KubernetesClient admin) {
        List<AuditedWrite> audited = AuditLog.read(server.auditLog());
        WriteTally t = WriteTally.of(audited, windowStart, to.at, bundles);
        double cpu = to.operator.cpuSeconds() - from.operator.cpuSeconds();
        long maxRss = meter.between(from.at, to.at).stream()
                .mapToLong(ProcessMeter.Sample::rssKiB)
                .max()
                .orElse(to.operator.rssKiB());
        String apiCpu = from.apiServer.isPresent() && to.apiServer.isPresent()
                ? "%.1f s"
                        .formatted(to.apiServer.get().cpuSeconds()
                                - from.apiServer.get().cpuSeconds())
                : "n/a";
        long otherThanStatus = t.total() - t.statusWritesTotal();
        long mostOnOneNode = WriteTally.maxNodeSpecWritesOnOneNode(audited, windowStart, to.at);
        report.append("""

                == %s
                  wall time of the phase: %.1f s; transitions (node x bundle): %d
                  operator writes (audit log): %d total, %d refused by the server; by kind: %s
                  ConfextNode writes: %d = %.3f per transition; most on any one node: %d (%.3f per bundle); all writes but bundle status: %d = %.3f per transition
                  bundle status writes: %d (%d bundles); max in any sliding 1 s for one bundle: %d; mean per bundle per s: %.2f
                  operator CPU (utime+stime): %.1f s = %.0f us per transition; kube-apiserver CPU: %s
                  operator RSS: max sampled %d MiB, at the end %d MiB, VmHWM (peak since start) %d MiB
                  largest bundle status: %d bytes
                """.formatted(
                        title,
                        seconds(from.at, to.at),
                        transitions,
                        t.total(),
                        t.failed(),
                        t.byKind(),
                        t.nodeSpecWrites(),
                        t.nodeSpecWrites() / (double) transitions,
                        mostOnOneNode,
                        mostOnOneNode / (double) bundles,
                        otherThanStatus,
                        otherThanStatus / (double) transitions,
                        t.statusWritesTotal(),
                        t.statusWrites().size(),
                        t.maxStatusPerSecond(),
                        t.meanStatusPerSecond(),
                        cpu,
                        cpu * 1e6 / transitions,
                        apiCpu,
                        maxRss >> 10,
                        to.operator.rssKiB() >> 10,
                        to.operator.hwmKiB() >> 10,
                        largestStatus(admin)));
    }

    private void steady(AuditedApiServer server, ProcessMeter meter, Mark from, Mark to, OperatorProcess operator) {
        List<Long> rss = meter.between(from.at, to.at).stream()
                .map(ProcessMeter.Sample::rssKiB)
                .sorted()
                .toList();
        WriteTally t = WriteTally.of(AuditLog.read(server.auditLog()), from.at, to.at, bundles);
        double cpu = to.operator.cpuSeconds() - from.operator.cpuSeconds();
        report.append("""

                == idle for %d s after the upgrade
                  operator RSS: median %d MiB, min %d MiB, max %d MiB over %d samples; VmHWM (peak of the whole run) %d MiB
                  operator CPU while idle: %.2f s (%.1f%% of one core); writes while idle: %s
                  heap (jcmd GC.heap_info):
                %s
                  native memory (jcmd VM.native_memory summary; needs -XX:NativeMemoryTracking=summary in bench.operatorJvmFlags):
                %s
                  live objects after a full GC (jcmd GC.class_histogram), largest classes:
                %s
                """.formatted(
                        steadySeconds,
                        rss.isEmpty() ? -1 : rss.get(rss.size() / 2) >> 10,
                        rss.isEmpty() ? -1 : rss.get(0) >> 10,
                        rss.isEmpty() ? -1 : rss.get(rss.size() - 1) >> 10,
                        rss.size(),
                        to.operator.hwmKiB() >> 10,
                        cpu,
                        100 * cpu / Math.max(1, seconds(from.at, to.at)),
                        t.byKind(),
                        jcmd(operator.pid(), "GC.heap_info", -1),
                        jcmd(operator.pid(), "VM.native_memory summary", -1),
                        jcmd(operator.pid(), "GC.class_histogram", 12)));
    }

    /** A jcmd report on the operator JVM; with {@code top >= 0} only its first lines and its last (the total). */
    private static String jcmd(long pid, String command, int top) {
        try {
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(pid),
                            command)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            List<String> lines = out.lines().skip(1).toList();
            if (top >= 0 && lines.size() > top + 3) {
                List<String> shown = new ArrayList<>(lines.subList(0, top + 2));
                shown.add(lines.get(lines.size() - 1));
                lines = shown;
            }
            return lines.stream()
                    .map(l -> "    " + l)
                    .reduce((a, b) -> a + "\n" + b)
                    .orElse("");
        } catch (Exception e) {
            return "    (jcmd failed: " + e.getMessage() + ")";
        }
    }

    private static String loadAverage() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private int largestStatus(KubernetesClient admin) {
        return admin.resources(ConfextBundle.class).list().getItems().stream()
                .mapToInt(b -> b.getStatus() == null
                        ? 0
                        : Serialization.asJson(b.getStatus()).getBytes(StandardCharsets.UTF_8).length)
                .max()
                .orElse(0);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static String token(KubernetesClient admin, String serviceAccount) {
        return admin.serviceAccounts()
                .inNamespace(NAMESPACE)
                .withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(6 * 3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    private void createNodes(KubernetesClient admin) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                String name = "node-%05d".formatted(i);
                created.add(pool.submit(() -> admin.nodes()
                        .resource(new NodeBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(WORKER)
                                .endMetadata()
                                .build())
                        .create()));
            }
            for (int i = 0; i < PROBE_NODES; i++) {
                String name = "probe-%d".formatted(i);
                created.add(pool.submit(() -> admin.nodes()
                        .resource(new NodeBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(PROBE_LABELS)
                                .endMetadata()
                                .build())
                        .create()));
            }
            for (Future<?> f : created) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void awaitFleetJoined(KubernetesClient admin, OperatorProcess operator) throws InterruptedException {
        await(
                "every node's ConfextNode created by the operator and Ready",
                Duration.ofMinutes(10),
                operator,
                () -> admin.resources(ConfextNode.class).list().getItems().stream()
                                .filter(n -> FleetAgents.answer(n) == null)
                                .count()
                        == nodes + PROBE_NODES);
    }

    private void applyVersion(KubernetesClient admin, String version) {
        for (int b = 0; b < bundles; b++) {
            String name = "bundle-%02d".formatted(b);
            if (version.equals("1")) {
                admin.resource(bundle(name, version)).create();
            } else {
                admin.resources(ConfextBundle.class).withName(name).edit(x -> {
                    x.getSpec().setVersion(version);
                    x.getSpec().getSource().getFiles().get(0).setContent("v=" + version + "\n");
                    return x;
                });
            }
        }
    }

    private Instant awaitVersion(KubernetesClient admin, OperatorProcess operator, String version)
            throws InterruptedException {
        await("every bundle on version " + version + " on every node", versionTimeout, operator, () -> {
            List<ConfextBundle> all =
                    admin.resources(ConfextBundle.class).list().getItems();
            return all.size() == bundles
                    && all.stream()
                            .allMatch(b -> b.getStatus() != null
                                    && version.equals(b.getStatus().getCurrentVersion())
                                    && b.getStatus().getReady() != null
                                    && b.getStatus().getReady() == nodes
                                    && b.getMetadata()
                                            .getGeneration()
                                            .equals(b.getStatus().getObservedGeneration()));
        });
        return Instant.now();
    }

    private static void await(
            String what, Duration timeout, OperatorProcess operator, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            if (!operator.alive()) {
                throw new IllegalStateException(
                        "the operator exited while waiting for " + what + "; its log ends with:\n" + operator.tail(60));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("not reached within " + timeout + ": " + what
                        + "; the operator's log ends with:\n" + operator.tail(60));
            }
            Thread.sleep(1000);
        }
    }

    /**
     * Wave overhead: with {@code maxUnavailable: 1} and {@code minReadySeconds: 0}, the time from one wave's node proven
     * to the next wave's node proven, split into the operator's part (proven -> the next node's agent sees its entry:
     * watch latency to the operator, its pacing, reconcile, node write, watch latency to the agent) and the agent's
     * (seen -> proven: the simulated agent's delay and its status write).
     */
    private void waveProbe(KubernetesClient admin, OperatorProcess operator, FleetAgents agents)
            throws InterruptedException {
        report.append("%n== wave overhead: bundle %s on %d nodes of its own, maxUnavailable 1, minReadySeconds 0, %s%n"
                .formatted(PROBE, PROBE_NODES, loadAverage()));
        java.util.Set<String> seenRevisions = new java.util.HashSet<>();
        for (String version : List.of("1", "2", "3")) {
            if (version.equals("1")) {
                admin.resource(probe(version)).create();
            } else {
                admin.resources(ConfextBundle.class).withName(PROBE).edit(x -> {
                    x.getSpec().setVersion(version);
                    x.getSpec().getSource().getFiles().get(0).setContent("v=" + version + "\n");
                    return x;
                });
            }
            await("the wave probe on version " + version, Duration.ofMinutes(5), operator, () -> {
                ConfextBundle b =
                        admin.resources(ConfextBundle.class).withName(PROBE).get();
                return b != null
                        && b.getStatus() != null
                        && version.equals(b.getStatus().getCurrentVersion())
                        && b.getStatus().getReady() != null
                        && b.getStatus().getReady() == PROBE_NODES;
            });
            List<FleetAgents.StepTimes> steps = agents.timesOf(PROBE).stream()
                    .filter(t -> !seenRevisions.contains(t.step().revision()))
                    .toList();
            steps.forEach(t -> seenRevisions.add(t.step().revision()));
            StringBuilder line = new StringBuilder("  version %s: %d steps;".formatted(version, steps.size()));
            for (int i = 1; i < steps.size(); i++) {
                FleetAgents.StepTimes prev = steps.get(i - 1);
                FleetAgents.StepTimes next = steps.get(i);
                line.append(" gap %d->%d %d ms (operator %d ms, agent %d ms);"
                        .formatted(
                                i,
                                i + 1,
                                Duration.between(prev.proven(), next.proven()).toMillis(),
                                next.seen() == null
                                        ? -1
                                        : Duration.between(prev.proven(), next.seen())
                                                .toMillis(),
                                next.seen() == null
                                        ? -1
                                        : Duration.between(next.seen(), next.proven())
                                                .toMillis()));
            }
            report.append(line).append(System.lineSeparator());
        }
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

    static ConfextBundle bundle(String name, String version) {
        return BundleBuilder.bundle(name, version)
                .units("demo.service")
                .file(name + "/demo.conf", "v=" + version + "\n")
                .nodeSelector(Map.of("role", "worker"))
                .rollout(r -> {
                    r.setMaxUnavailable(new IntOrString("20%"));
                    Canary canary = new Canary();
                    canary.setCount(1);
                    r.setCanary(canary);
                })
                .build();
    }
}
