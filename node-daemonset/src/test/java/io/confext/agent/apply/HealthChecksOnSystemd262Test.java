package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.confext.agent.healthcheck.CheckRun;
import io.confext.agent.healthcheck.CheckRunner;
import io.confext.agent.healthcheck.HealthChecks;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testsupport.tier.HostTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bundles' own health checks on a real systemd 262 host, run by the agent's {@link CheckRunner} as in production:
 * an exec check in the unit's namespaces ({@code test -f /etc/demo/healthy}, which only the unit's confext view can
 * answer) passes for a version that has the file and keeps it Active; for a version without it, failureThreshold
 * failures inside minReadySeconds fail the version with HealthCheckFailed and the agent falls back to the previous
 * one (the unit sees it again); after the window a failing check on the host makes the node Degraded; an httpGet
 * check answers with a listener's HTTP status. The agent's network namespace is the host's in production
 * (hostNetwork); here the agent is this JVM, so the listener is on this JVM's loopback.
 */
@HostTest
class HealthChecksOnSystemd262Test {
    private static final String STATE = "/var/lib/confext-operator";
    private static PlainRootHost host;
    private static HealthChecks checks;
    private static SystemdHostApplier applier;
    private static final LinkedBlockingQueue<String> passes = new LinkedBlockingQueue<>();
    /**
     * Every run, with its check: a check of an earlier test's bundle may still finish after {@link #nothingYet()}
     * (the runner is shared and works on its own thread), so the tests look only at their own check's runs.
     */
    private static final List<Map.Entry<ResolvedHealthCheck, CheckRun>> ran =
            Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void boot() throws Exception {
        host = PlainRootHost.boot("forky");
        CheckRunner runner = new CheckRunner(host.leaderPid());
        checks = new HealthChecks(
                c -> {
                    CheckRun r = runner.run(c);
                    ran.add(Map.entry(c, r));
                    return r;
                },
                Clock.systemUTC());
        checks.start(() -> passes.add("asked"));
        applier = new SystemdHostApplier(
                host.leaderPid(), ApplierSettings.defaults().withStateHostDir(STATE), StepObserver.NONE, checks);
    }

    @AfterAll
    static void shutdown() {
        if (checks != null) {
            checks.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void nothingYet() {
        passes.clear();
        ran.clear();
    }

    private static List<CheckRun> runsOf(ResolvedHealthCheck check) {
        synchronized (ran) {
            return ran.stream()
                    .filter(e -> e.getKey().equals(check))
                    .map(Map.Entry::getValue)
                    .toList();
        }
    }

    private static ResolvedHealthCheck inUnit(String unit, String... command) {
        return new ResolvedHealthCheck(
                "healthy", new ResolvedHealthCheck.Exec(List.of(command), true, unit), null, 2, 1, 2);
    }

    private static DesiredBundleContent bundle(
            String name,
            String unit,
            String version,
            boolean healthyFile,
            int minReadySeconds,
            ResolvedHealthCheck check) {
        List<ResolvedFile> files =
                new ArrayList<>(List.of(new ResolvedFile("demo/demo.conf", "version=" + version + "\n", "0644")));
        if (healthyFile) {
            files.add(new ResolvedFile("demo/healthy", "yes\n", "0644"));
        }
        RevisionContent c = new RevisionContent(
                version,
                Scope.Service,
                List.of(unit),
                ResolvedSource.ofFiles(files),
                null,
                ReloadMode.Reload,
                0,
                List.of(check));
        return new DesiredBundleContent(
                name,
                name + "-" + version,
                "sha256:" + Integer.toHexString((name + version + healthyFile + check).hashCode()),
                false,
                c,
                minReadySeconds);
    }

    private static BundleState converge(DesiredBundleContent d) {
        return applier.converge(List.of(d)).stream()
                .filter(s -> s.getName().equals(d.name()))
                .findFirst()
                .orElseThrow();
    }

    private static void awaitPassAsked(Duration timeout) throws InterruptedException {
        assertThat(passes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("a pass was asked for within " + timeout)
                .isNotNull();
    }

    @Test
    void aPassingExecCheckInTheUnitKeepsTheVersionActive() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        ResolvedHealthCheck check = inUnit(unit, "test", "-f", "/etc/demo/healthy");
        DesiredBundleContent v = bundle("passing", unit, "1.0", true, 3, check);
        BundleState proven = converge(v);
        assertThat(proven.getPhase()).as(proven.getMessage()).isEqualTo(BundlePhase.Active);
        Thread.sleep(4_000); // past minReadySeconds, a run every second
        BundleState s = converge(v);
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s.getReason()).isEqualTo("Proven");
        assertThat(runsOf(check))
                .as("the check ran, and passed each time")
                .hasSizeGreaterThanOrEqualTo(3)
                .allMatch(CheckRun::passed);
        assertThat(passes).as("nothing to report").isEmpty();
    }

    @Test
    void aFailingExecCheckInsideTheWindowFailsTheVersionAndTheUnitSeesThePreviousOneAgain() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        ResolvedHealthCheck check = inUnit(unit, "test", "-f", "/etc/demo/healthy");
        assertThat(converge(bundle("window", unit, "1.0", true, 120, check)).getPhase())
                .isEqualTo(BundlePhase.Active);
        DesiredBundleContent unhealthy = bundle("window", unit, "2.0", false, 120, check);
        BundleState proven = converge(unhealthy);
        assertThat(proven.getPhase())
                .as("the reload is proven: the check comes after")
                .isEqualTo(BundlePhase.Active);
        assertThat(host.mainPidSees(unit, "demo/demo.conf")).contains("version=2.0\n");
        assertThat(host.files().readString("/etc/demo/healthy"))
                .as("the host's own /etc has no such file")
                .isEmpty();

        awaitPassAsked(Duration.ofSeconds(15));
        BundleState s = converge(unhealthy);
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(s.getReason()).isEqualTo("HealthCheckFailed");
        assertThat(s.getMessage())
                .contains("health check healthy (exec [test -f /etc/demo/healthy] in " + unit + ")")
                .contains("failed 2 times in a row: exit status 1")
                .contains("within minReadySeconds (120s)")
                .contains("rolled back to 1.0")
                .doesNotContain("Exception");
        assertThat(s.getActiveVersion()).isEqualTo("1.0");
        assertThat(host.mainPidSees(unit, "demo/demo.conf")).contains("version=1.0\n");
        assertThat(host.mainPidSees(unit, "demo/healthy")).contains("yes\n");
        assertThat(host.ls(STATE + "/quarantine/window")).anyMatch(n -> n.startsWith("window_2.0.HealthCheckFailed."));

        BundleState kept = converge(unhealthy);
        assertThat(kept.getPhase()).as("the same content is not tried again").isEqualTo(BundlePhase.RolledBack);
    }

    @Test
    void aCheckOnTheHostThatFailsAfterTheWindowMakesTheBundleDegradedUntilItPassesAgain() throws Exception {
        String unit = Bundles.uniqueUnit();
        host.installDemo(unit);
        host.execOk("touch", "/run/" + unit + ".ok");
        ResolvedHealthCheck onHost = new ResolvedHealthCheck(
                "host-ok",
                new ResolvedHealthCheck.Exec(
                        List.of("sh", "-c", "test -f /run/" + unit + ".ok || { echo not ok >&2; exit 3; }"),
                        false,
                        null),
                null,
                2,
                1,
                2);
        DesiredBundleContent v = bundle("late", unit, "1.0", true, 1, onHost);
        assertThat(converge(v).getPhase()).isEqualTo(BundlePhase.Active);
        Thread.sleep(1_500);
        passes.clear();

        host.execOk("rm", "/run/" + unit + ".ok");
        awaitPassAsked(Duration.ofSeconds(15));
        BundleState s = converge(v);
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Degraded);
        assertThat(s.getReason()).isEqualTo("HealthCheckFailed");
        assertThat(s.getMessage())
                .contains("health check host-ok")
                .contains("on the host")
                .contains("exit status 3: not ok");
        assertThat(s.getActiveVersion()).as("no fallback after the window").isEqualTo("1.0");
        assertThat(converge(v).getSince()).as("the same finding keeps its time").isEqualTo(s.getSince());

        host.execOk("touch", "/run/" + unit + ".ok");
        awaitPassAsked(Duration.ofSeconds(15));
        Thread.sleep(10_500); // Degraded turns Active once healthy for minReadySeconds, at least 10 s
        BundleState recovered = converge(v);
        assertThat(recovered.getPhase()).as(recovered.getMessage()).isEqualTo(BundlePhase.Active);
    }

    @Test
    void anHttpGetCheckFailsOnItsHttpStatusAndTheAgentFallsBack() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", x -> {
            byte[] body = (status.get() == 200 ? "up 1" : "not ready").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status.get(), body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            String unit = Bundles.uniqueUnit();
            host.installDemo(unit);
            ResolvedHealthCheck get = new ResolvedHealthCheck(
                    "metrics",
                    null,
                    new ResolvedHealthCheck.HttpGet(server.getAddress().getPort(), "/metrics", false),
                    1,
                    1,
                    2);
            assertThat(converge(bundle("http", unit, "1.0", true, 120, get)).getPhase())
                    .isEqualTo(BundlePhase.Active);
            DesiredBundleContent v2 = bundle("http", unit, "2.0", true, 120, get);
            assertThat(converge(v2).getPhase()).isEqualTo(BundlePhase.Active);
            Thread.sleep(1_500);
            assertThat(runsOf(get)).as("the GET ran and passed").isNotEmpty().allMatch(CheckRun::passed);
            passes.clear();

            status.set(503);
            awaitPassAsked(Duration.ofSeconds(15));
            BundleState s = converge(v2);
            assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.RolledBack);
            assertThat(s.getReason()).isEqualTo("HealthCheckFailed");
            assertThat(s.getMessage())
                    .contains("GET http://127.0.0.1:" + server.getAddress().getPort() + "/metrics")
                    .contains("HTTP 503: not ready");
            assertThat(host.mainPidSees(unit, "demo/demo.conf")).contains("version=1.0\n");
        } finally {
            server.stop(0);
        }
    }
}
