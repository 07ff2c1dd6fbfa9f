package io.confext.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test (surefire does not pick up *Benchmark classes): starts the packaged agent
 * ({@code target/quarkus-app}) with the production launcher {@code src/main/sh/confext-agent}, against
 * fabric8's mock API server and a real systemd 262 host, and measures start-up time, time to the
 * first Active status, and resident memory (VmRSS sampled for a minute of steady state, VmHWM).
 * It also proves the Quarkus wiring end to end: config from the environment, the HostApplier bean,
 * the health endpoints.
 *
 * <p>In the same run and through the same launcher (so with the same JVM flags) it measures two
 * floors: {@link PlainJvmAgent} (the agent's own objects on fabric8's JDK HTTP client, no Quarkus,
 * Vert.x or Netty) and {@link PlainJvmAgent.Idle} (a JVM that loads nothing but its main class), so
 * that BENCHMARKS.md can say where the agent's memory goes. Both get a {@code quarkus-run.jar} that
 * is only a manifest (Main-Class, Class-Path), which is what the launcher runs.
 *
 * <p>Run: {@code ./mvnw -o -pl node-daemonset -am package -DskipTests} then
 * {@code ./mvnw -o -pl node-daemonset -am verify -Dtest=AgentFootprintBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@SystemdHostTest
class AgentFootprintBenchmark {

    private static final Path MODULE =
            Path.of(System.getProperty("confext.agent.module", ".")).toAbsolutePath();
    private static final Path APP_HOME = Path.of(System.getProperty(
            "confext.agent.app-home", MODULE.resolve("target/quarkus-app").toString()));
    private static final Duration STEADY = Duration.ofSeconds(Long.getLong("confext.bench.steady-seconds", 60));
    /** The issue's target for the agent's steady-state resident memory. */
    private static final double TARGET_MIB = 64;

    /**
     * Paired runs of agent variants (issue #18): a file of lines {@code label<TAB>KEY=VALUE<TAB>...}, each variant
     * the shipped agent started through the launcher with that environment added ({@code JAVA_HOME},
     * {@code JAVA_OPTS_APPEND}, {@code MALLOC_ARENA_MAX}, {@code QUARKUS_*}; {@code CONFEXT_AGENT_HOME} picks
     * another app home). The variants run in turn, {@code confext.bench.rounds} times (A B C A B C ...).
     */
    private static final String VARIANTS = System.getProperty("confext.bench.variants", "");

    private static final int ROUNDS = Integer.getInteger("confext.bench.rounds", 1);
    /** false: the two floors (plain JVM agent, idle JVM) are left out, for paired runs of variants only. */
    private static final boolean FLOORS = Boolean.parseBoolean(System.getProperty("confext.bench.floors", "true"));

    /**
     * What the launcher starts: its app home, the log line that says it is up, whether it is an agent, and the
     * environment it adds.
     */
    private record Subject(String name, Path appHome, String startedMarker, boolean agent, Map<String, String> env) {
        Subject(String name, Path appHome, String startedMarker, boolean agent) {
            this(name, appHome, startedMarker, agent, Map.of());
        }
    }

    private record Footprint(
            Subject subject,
            double toListening,
            double toActive,
            double medianMib,
            double maxMib,
            double hwmMib,
            long threads) {}

    @Test
    void startUpAndSteadyStateMemory(@Host(HostImage.FORKY) SystemdHost host, @TempDir Path work) throws Exception {
        Path app = APP_HOME.resolve("quarkus-run.jar");
        assumeTrue(Files.exists(app), "package the agent first (" + app.toAbsolutePath() + " is missing)");
        DemoService.install(host, "demo.service");
        // The production agent first, on the clean host (its start-up times are the ones reported);
        // every later agent subject is handed the next version, so each one activates one version.
        List<Subject> subjects = new ArrayList<>();
        if (VARIANTS.isEmpty()) {
            subjects.add(new Subject("agent (Quarkus fast-jar, as shipped)", APP_HOME, "started in", true));
        } else {
            List<Subject> variants = variants(Path.of(VARIANTS));
            for (int round = 0; round < ROUNDS; round++) {
                subjects.addAll(variants);
            }
        }
        if (FLOORS) {
            subjects.addAll(floors(work));
        }
        List<Footprint> results = new ArrayList<>();
        try (MockApi api = new MockApi()) {
            int version = 0;
            for (Subject subject : subjects) {
                if (subject.agent()) {
                    version++;
                    RevisionContent content = demo(version);
                    api.admin
                            .resource(Fixtures.revision("demo-" + version, content))
                            .create();
                    ConfextNode node =
                            Fixtures.node("bench-node", Fixtures.desired("demo", "demo-" + version, content));
                    if (version == 1) {
                        api.admin.resource(node).create();
                    } else {
                        api.admin
                                .resources(ConfextNode.class)
                                .withName("bench-node")
                                .edit(n -> {
                                    n.getSpec().setBundles(node.getSpec().getBundles());
                                    return n;
                                });
                    }
                }
                results.add(measure(subject, host, api, Integer.toString(version)));
            }
        }
        report(results);
    }

    private static RevisionContent demo(int version) {
        return new RevisionContent(
                Integer.toString(version),
                Scope.Service,
                List.of("demo.service"),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile("demo/demo.conf", "version=" + version + "\n", "0644"))),
                null,
                ReloadMode.Reload,
                0);
    }

    /** The variants file: {@code label<TAB>KEY=VALUE<TAB>...} per line, {@code #} comments. */
    private static List<Subject> variants(Path file) throws IOException {
        List<Subject> variants = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t");
            Map<String, String> env = new java.util.LinkedHashMap<>();
            for (int i = 1; i < fields.length; i++) {
                int eq = fields[i].indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(file + ": not KEY=VALUE: " + fields[i]);
                }
                env.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
            }
            Path home = env.containsKey("CONFEXT_AGENT_HOME") ? Path.of(env.get("CONFEXT_AGENT_HOME")) : APP_HOME;
            variants.add(new Subject(fields[0].strip(), home, "started in", true, Map.copyOf(env)));
        }
        if (variants.isEmpty()) {
            throw new IllegalArgumentException(file + " names no variant");
        }
        return variants;
    }

    private List<Subject> floors(Path work) throws IOException {
        return List.of(
                new Subject(
                        "plain JVM agent (no Quarkus/Vert.x/Netty, fabric8 JDK client)",
                        manifestOnlyApp(work.resolve("plain"), PlainJvmAgent.class, agentClassPath()),
                        PlainJvmAgent.STARTED,
                        true),
                new Subject(
                        "idle JVM (main class only)",
                        manifestOnlyApp(
                                work.resolve("idle"),
                                PlainJvmAgent.Idle.class,
                                List.of(codeSource(PlainJvmAgent.class))),
                        PlainJvmAgent.Idle.STARTED,
                        false));
    }

    private static void report(List<Footprint> results) {
        Footprint last = results.get(results.size() - 1);
        double idleMib = last.subject().agent() ? 0 : last.medianMib();
        System.out.printf(
                "BENCH steady VmRSS over %d s, each through src/main/sh/confext-agent (same JVM flags):%n",
                STEADY.toSeconds());
        System.out.println(
                "BENCH | subject | start -> listening | -> first Active | VmRSS median (max) | VmHWM | threads"
                        + " | / 64 MiB target | minus idle JVM |");
        for (Footprint f : results) {
            System.out.printf(
                    "BENCH | %s | %s | %s | %.1f MiB (%.1f) | %.1f MiB | %d | %.2f | %.1f MiB |%n",
                    f.subject().name(),
                    String.format("%.2f s", f.toListening()),
                    f.subject().agent() ? String.format("%.2f s", f.toActive()) : "-",
                    f.medianMib(),
                    f.maxMib(),
                    f.hwmMib(),
                    f.threads(),
                    f.medianMib() / TARGET_MIB,
                    f.medianMib() - idleMib);
        }
        // Paired variants: the median over rounds of each variant's steady median.
        Map<String, List<Double>> byVariant = new java.util.LinkedHashMap<>();
        for (Footprint f : results) {
            if (f.subject().agent()) {
                byVariant
                        .computeIfAbsent(f.subject().name(), k -> new ArrayList<>())
                        .add(f.medianMib());
            }
        }
        for (Map.Entry<String, List<Double>> e : byVariant.entrySet()) {
            List<Double> sorted = e.getValue().stream().sorted().toList();
            System.out.printf(
                    "BENCH variant | %s | rounds %d | median of steady medians %.1f MiB | all %s%n",
                    e.getKey(), sorted.size(), sorted.get(sorted.size() / 2), e.getValue());
        }
    }

    private Footprint measure(Subject subject, SystemdHost host, MockApi api, String version) throws Exception {
        int httpPort = freePort();
        Path log = Files.createTempFile("confext-agent-bench", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        "sh", MODULE.resolve("src/main/sh/confext-agent").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("CONFEXT_AGENT_HOME", subject.appHome().toString());
        pb.environment().put("NODE_NAME", "bench-node");
        pb.environment().put("CONFEXT_AGENT_HOST_PID", Long.toString(host.leaderPid()));
        pb.environment().put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", "http://127.0.0.1:" + api.server.getPort());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        pb.environment().putAll(subject.env());
        long t0 = System.nanoTime();
        Process process = pb.start();
        try {
            String started = awaitLog(log, subject.startedMarker(), process);
            double toListening = seconds(t0);
            double toActive = Double.NaN;
            if (subject.agent()) {
                RunningAgent.await("status Active", () -> active(api, version));
                toActive = seconds(t0);
                assertThat(DemoService.mainPidSees(host, "demo.service", "demo/demo.conf"))
                        .contains("version=" + version + "\n");
                assertThat(get(httpPort, "/q/health/live")).contains("\"status\": \"UP\"");
                RunningAgent.await(
                        "ready", () -> get(httpPort, "/q/health/ready").contains("\"status\": \"UP\""));
                scrape(subject, httpPort);
            }
            List<Long> rss = new ArrayList<>();
            long end = System.nanoTime() + STEADY.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                if (subject.agent()) {
                    get(httpPort, "/q/health/ready"); // probes run as in a pod
                }
                rss.add(kib(process.pid(), "VmRSS"));
            }
            long median = rss.stream().sorted().toList().get(rss.size() / 2);
            Footprint f = new Footprint(
                    subject,
                    toListening,
                    toActive,
                    median / 1024.0,
                    rss.stream().mapToLong(Long::longValue).max().orElse(0) / 1024.0,
                    kib(process.pid(), "VmHWM") / 1024.0,
                    kib(process.pid(), "Threads"));
            System.out.printf("BENCH %s: %s%n", subject.name(), started.strip());
            return f;
        } finally {
            process.destroy();
            process.waitFor();
            System.out.println("BENCH " + subject.name() + " log:\n" + Files.readString(log));
        }
    }

    /**
     * The packaged agent's /q/metrics after its first activation (docs/metrics.md): one proven activation of the demo
     * bundle, its versions kept, and none of the JVM binders' meters (they are off for the agent's memory). An app home
     * built before the agent had metrics (the "before" run of a paired measurement) is not scraped, and says so.
     */
    private static void scrape(Subject subject, int port) throws Exception {
        Path libMain = subject.appHome().resolve("lib/main");
        if (!Files.isDirectory(libMain)) {
            return; // the plain JVM agent: no Quarkus, no /q/metrics
        }
        boolean withMetrics;
        try (Stream<Path> jars = Files.list(libMain)) {
            withMetrics = jars.anyMatch(j -> j.getFileName().toString().startsWith("io.micrometer."));
        }
        if (!withMetrics) {
            System.out.println(
                    "BENCH " + subject.name() + ": built without metrics (no Micrometer in lib/main), not scraped");
            return;
        }
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET /q/metrics").isEqualTo(200);
        io.confext.testsupport.metrics.PrometheusText page =
                io.confext.testsupport.metrics.PrometheusText.parse(r.body());
        assertThat(page.value("confext_agent_activation_seconds_count", "bundle", "demo", "result", "proven"))
                .isEqualTo(1);
        // each agent subject activates the next version; the agent keeps the last 3
        assertThat(page.value("confext_agent_versions_kept", "bundle", "demo")).isBetween(1.0, 3.0);
        assertThat(page.hasAny("jvm_")).as("the JVM binder is off").isFalse();
        assertThat(page.hasAny("http_server_"))
                .as("the HTTP server binder is off")
                .isFalse();
        System.out.printf(
                "BENCH %s: /q/metrics %d bytes, %d samples%n",
                subject.name(), r.body().length(), page.samples().size());
    }

    /** An app home whose {@code quarkus-run.jar} is only a manifest: {@code main} and a Class-Path of {@code jars}. */
    private static Path manifestOnlyApp(Path home, Class<?> main, List<Path> jars) throws IOException {
        Path lib = Files.createDirectories(home.resolve("lib"));
        List<String> classPath = new ArrayList<>();
        for (Path jar : jars) {
            Path link = lib.resolve(jar.getFileName());
            Files.createSymbolicLink(link, jar);
            classPath.add("lib/" + jar.getFileName() + (Files.isDirectory(jar) ? "/" : ""));
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        try (JarOutputStream out =
                new JarOutputStream(Files.newOutputStream(home.resolve("quarkus-run.jar")), manifest)) {
            out.flush();
        }
        return home;
    }

    /**
     * The packaged agent's jars without Quarkus, Vert.x, Netty and SmallRye, plus fabric8's JDK HTTP client,
     * JBoss Logging and this module's test classes.
     */
    private static List<Path> agentClassPath() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s =
                Stream.concat(Files.list(APP_HOME.resolve("app")), Files.list(APP_HOME.resolve("lib/main")))) {
            s.filter(p -> !QUARKUS_STACK.matcher(p.getFileName().toString()).lookingAt())
                    .forEach(jars::add);
        }
        try (Stream<Path> s = Files.list(APP_HOME.resolve("lib/boot"))) {
            s.filter(p -> p.getFileName().toString().startsWith("org.jboss.logging.jboss-logging-"))
                    .forEach(jars::add);
        }
        jars.add(codeSource(JdkHttpClientFactory.class));
        jars.add(codeSource(PlainJvmAgent.class));
        return jars;
    }

    private static final Pattern QUARKUS_STACK = Pattern.compile("io\\.quarkus|io\\.vertx|io\\.netty|io\\.smallrye"
            + "|com\\.aayushatharva|jakarta\\.|org\\.eclipse\\.|org\\.jctools|org\\.wildfly|org\\.jboss\\.threads"
            + "|org\\.jboss\\.slf4j|io\\.fabric8\\.kubernetes-httpclient-vertx");

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean active(MockApi api, String version) {
        ConfextNode n = api.node("bench-node");
        return n != null
                && n.getStatus() != null
                && n.getStatus().getBundles() != null
                && n.getStatus().getBundles().stream()
                        .anyMatch(b -> b.getPhase() == BundlePhase.Active && version.equals(b.getActiveVersion()));
    }

    private static String awaitLog(Path log, String marker, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                if (line.contains(marker)) {
                    return line;
                }
            }
            if (!p.isAlive()) {
                throw new AssertionError("agent exited: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + marker + "' in the agent log: " + Files.readString(log));
    }

    private static String get(int port, String path) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static long kib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(
                        line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IllegalStateException(field + " not in /proc/" + pid + "/status");
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
