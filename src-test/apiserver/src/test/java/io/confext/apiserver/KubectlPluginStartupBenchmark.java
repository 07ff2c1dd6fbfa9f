package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.testbed.K8sBinaries;
import io.confext.testsupport.BundleBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire picks up no *Benchmark class; run it with -Dtest): how long a whole
 * {@code kubectl confext status} process takes against the real kube-apiserver, next to {@code kubectl get
 * confextbundles} on the same server, for the JVM start options the launcher could use. The commands run in turn
 * (kubectl, then each variant, again and again), so a drift in the machine's load reaches all of them alike; the
 * report gives the median wall time of each and its ratio to kubectl's, on stdout and in
 * {@code target/kubectl-plugin-benchmark.md}.
 *
 * <p>Build the plugin first: {@code ./mvnw -B -o -pl kubectl-plugin -am package -DskipTests}. Knobs: -Dbench.runs
 * (default 15), -Dbench.holdSeconds (afterwards keep the server and its kubeconfig, printed, for timing by hand).
 */
@RealApiServerTest
class KubectlPluginStartupBenchmark {
    private static final String BUNDLE = "bench-chrony";
    private final int runs = Integer.getInteger("bench.runs", 15);
    private final int holdSeconds = Integer.getInteger("bench.holdSeconds", 0);

    @Test
    void statusAgainstKubectlGet(ApiServer server) throws Exception {
        Path repo = Path.of(System.getProperty("confext.repo.root", "../.."))
                .toAbsolutePath()
                .normalize();
        Path home = repo.resolve("kubectl-plugin/target/kubectl-confext");
        Path launcher = home.resolve("kubectl-confext");
        assertThat(launcher)
                .as("build the plugin first: ./mvnw -B -o -pl kubectl-plugin -am package -DskipTests")
                .isExecutable();
        Path jar;
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            jar = lib.filter(p -> p.getFileName().toString().startsWith("confext-kubectl-plugin-"))
                    .findFirst()
                    .orElseThrow();
        }
        Path work = Files.createDirectories(repo.resolve("src-test/apiserver/target/kubectl-plugin-benchmark"));
        Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), server.kubeConfigYaml());
        Crds.installAll(server.admin(), RepoFiles.fromBuild().crds());
        server.admin()
                .resource(BundleBuilder.bundle(BUNDLE, "1.0")
                        .units("chronyd.service")
                        .file("a.conf", "x\n")
                        .build())
                .createOr(r -> r.update());
        // a CRD just established may still answer "storage is (re)initializing" for a moment: time only a ready server
        awaitServed(server);
        try {
            String kubectl = K8sBinaries.find().kubectl().toString();
            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put("kubectl get confextbundles", List.of(kubectl, "get", "confextbundles"));
            commands.put("java -jar (no options)", List.of("java", "-jar", jar.toString(), "status", BUNDLE));
            commands.put(
                    "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar",
                    List.of(
                            "java",
                            "-XX:TieredStopAtLevel=1",
                            "-XX:+UseSerialGC",
                            "-jar",
                            jar.toString(),
                            "status",
                            BUNDLE));
            commands.put(
                    "kubectl-confext launcher (those + AppCDS archive)",
                    List.of(launcher.toString(), "status", BUNDLE));
            Map<String, List<Long>> millis = new LinkedHashMap<>();
            commands.keySet().forEach(k -> millis.put(k, new ArrayList<>()));
            for (int i = -1; i < runs; i++) { // run -1 warms up: kubectl's discovery cache, the launcher's archive
                for (var c : commands.entrySet()) {
                    long ms = time(c.getValue(), kubeconfig, work);
                    if (i >= 0) {
                        millis.get(c.getKey()).add(ms);
                    }
                }
            }
            long yardstick = median(millis.get("kubectl get confextbundles"));
            StringBuilder report = new StringBuilder(
                    "| command | median ms | min ms | max ms | x kubectl |\n| --- | ---: | ---: | ---: | ---: |\n");
            for (var m : millis.entrySet()) {
                long med = median(m.getValue());
                report.append(String.format(
                        "| %s | %d | %d | %d | %.2f |%n",
                        m.getKey(),
                        med,
                        m.getValue().stream().mapToLong(Long::longValue).min().orElse(0),
                        m.getValue().stream().mapToLong(Long::longValue).max().orElse(0),
                        med / (double) yardstick));
            }
            report.append("\n")
                    .append(runs)
                    .append(" runs each, interleaved; load average at the end: ")
                    .append(loadAverage());
            System.out.println(report);
            Files.writeString(repo.resolve("src-test/apiserver/target/kubectl-plugin-benchmark.md"), report);
            if (holdSeconds > 0) {
                System.out.println("holding the server for " + holdSeconds + " s: KUBECONFIG=" + kubeconfig);
                Thread.sleep(holdSeconds * 1000L);
            }
        } finally {
            server.admin().resources(ConfextBundle.class).withName(BUNDLE).delete();
        }
    }

    private static long time(List<String> command, Path kubeconfig, Path work)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("last-output.txt").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        long start = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as(String.join(" ", command))
                .isTrue();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(p.exitValue())
                .as(String.join(" ", command) + ": " + Files.readString(work.resolve("last-output.txt")))
                .isZero();
        return ms;
    }

    private static void awaitServed(ApiServer server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                server.admin()
                        .resources(io.confext.api.v1alpha1.ConfextNode.class)
                        .list();
                server.admin().resources(ConfextBundle.class).withName(BUNDLE).get();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                assertThat(System.nanoTime())
                        .as("the CRDs served within 60 s: " + e.getMessage())
                        .isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
