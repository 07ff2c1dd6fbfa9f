package io.confext.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
import io.confext.testbed.SystemdHostExtension;

/**
 * Benchmark, not a test (surefire does not pick up *Benchmark classes): starts the packaged agent
 * ({@code target/quarkus-app}) with the production launcher {@code src/main/sh/confext-agent}, against
 * fabric8's mock API server and a real systemd 262 host, and measures start-up time, time to the
 * first Active status, and resident memory (VmRSS sampled for a minute of steady state, VmHWM).
 * It also proves the Quarkus wiring end to end: config from the environment, the HostApplier bean,
 * the health endpoints. Run: {@code ./mvnw -o -pl node-daemonset -am package -DskipTests} then
 * {@code ./mvnw -o -pl node-daemonset -am verify -Dtest=AgentFootprintBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(SystemdHostExtension.class)
class AgentFootprintBenchmark {

    private static final Path MODULE = Path.of(System.getProperty("confext.agent.module", "."));
    private static final Path APP_HOME = Path.of(System.getProperty("confext.agent.app-home",
            MODULE.resolve("target/quarkus-app").toString()));
    private static final Duration STEADY = Duration.ofSeconds(Long.getLong("confext.bench.steady-seconds", 60));

    @Test
    void startUpAndSteadyStateMemory(@Host(HostImage.FORKY) SystemdHost host) throws Exception {
        Path app = APP_HOME.resolve("quarkus-run.jar");
        assumeTrue(Files.exists(app), "package the agent first (" + app.toAbsolutePath() + " is missing)");
        DemoService.install(host, "demo.service");
        RevisionContent v1 = new RevisionContent("1", Scope.Service, List.of("demo.service"),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("demo/demo.conf", "version=1\n", "0644"))), null,
                ReloadMode.Reload, 0);
        try (MockApi api = new MockApi()) {
            api.admin.resource(Fixtures.revision("demo-1", v1)).create();
            api.admin.resource(Fixtures.node("bench-node", Fixtures.desired("demo", "demo-1", v1))).create();
            int httpPort = freePort();
            Path log = Files.createTempFile("confext-agent-bench", ".log");
            ProcessBuilder pb = new ProcessBuilder("sh", MODULE.resolve("src/main/sh/confext-agent").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("CONFEXT_AGENT_HOME", APP_HOME.toString());
            pb.environment().put("NODE_NAME", "bench-node");
            pb.environment().put("CONFEXT_AGENT_HOST_PID", Long.toString(host.leaderPid()));
            pb.environment().put("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL", "http://127.0.0.1:" + api.server.getPort());
            pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
            long t0 = System.nanoTime();
            Process agent = pb.start();
            try {
                String started = awaitLog(log, "started in", agent);
                double toListening = seconds(t0);
                RunningAgent.await("status Active", () -> active(api));
                double toActive = seconds(t0);
                assertThat(DemoService.mainPidSees(host, "demo.service", "demo/demo.conf")).contains("version=1\n");
                assertThat(get(httpPort, "/q/health/live")).contains("\"status\": \"UP\"");
                RunningAgent.await("ready", () -> get(httpPort, "/q/health/ready").contains("\"status\": \"UP\""));

                List<Long> rss = new ArrayList<>();
                long end = System.nanoTime() + STEADY.toNanos();
                while (System.nanoTime() < end) {
                    Thread.sleep(1000);
                    get(httpPort, "/q/health/ready"); // probes run as in a pod
                    rss.add(kib(agent.pid(), "VmRSS"));
                }
                long hwm = kib(agent.pid(), "VmHWM");
                long threads = kib(agent.pid(), "Threads");
                long median = rss.stream().sorted().toList().get(rss.size() / 2);
                System.out.printf("BENCH quarkus log: %s%n", started.strip());
                System.out.printf("BENCH start to HTTP listening: %.2f s; to first Active status: %.2f s%n",
                        toListening, toActive);
                System.out.printf("BENCH steady VmRSS over %d s: median %.1f MiB, max %.1f MiB; VmHWM %.1f MiB;"
                        + " threads %d%n", STEADY.toSeconds(), median / 1024.0,
                        rss.stream().mapToLong(Long::longValue).max().orElse(0) / 1024.0, hwm / 1024.0, threads);
            } finally {
                agent.destroy();
                agent.waitFor();
                System.out.println("BENCH agent log:\n" + Files.readString(log));
            }
        }
    }

    private static boolean active(MockApi api) {
        ConfextNode n = api.node("bench-node");
        return n != null && n.getStatus() != null && n.getStatus().getBundles() != null
                && n.getStatus().getBundles().stream().anyMatch(b -> b.getPhase() == BundlePhase.Active);
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
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static long kib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
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
