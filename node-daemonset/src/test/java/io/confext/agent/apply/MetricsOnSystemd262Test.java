package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.fetch.FetchSettings;
import io.confext.agent.metrics.AgentMetrics;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.ResolvedVerification;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.TrustSource;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import io.confext.testsupport.ImageServer;
import io.confext.testsupport.TestTls;
import io.confext.testsupport.metrics.PrometheusText;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's meters after real work on a systemd 262 host: signed DDIs built in the host, served over HTTPS, fetched,
 * verified and activated by the applier, which records into the Prometheus registry the agent serves at /q/metrics;
 * the page is scraped and parsed after each step. An activation is timed, the verifier's bytes are the images' sizes,
 * a refused image and a rolled-back version are each one failure by their reason (a resync that keeps the refusal is
 * not another), the quarantine gauge holds the rolled-back version.
 */
@SystemdHostTest
class MetricsOnSystemd262Test {
    private static final String STATE = "/var/lib/confext-operator-metrics";
    private static final String BUNDLE = "metricsdemo";

    static TestTls tls;
    static ImageServer server;

    @BeforeAll
    static void start() throws Exception {
        tls = TestTls.create();
        server = new ImageServer(tls.server(), 1000);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void activationVerificationAndFailuresByReasonAreOnTheScrapedPage(
            @Host(value = HostImage.FORKY, name = "metrics") SystemdHost host) throws Exception {
        HostBuiltImages.Signer signer = HostBuiltImages.Signer.create(host, "metrics-signer");
        ResolvedVerification trust = new ResolvedVerification(true, TrustSource.Secret, List.of(signer.pem(host)));
        String unit = Bundles.uniqueUnit();
        DemoService.install(host, unit);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FetchSettings fetch = new FetchSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                2,
                Duration.ofMillis(100),
                Duration.ofMillis(200),
                Optional.of(tls.client()));
        SystemdHostApplier applier = new SystemdHostApplier(
                host.leaderPid(),
                ApplierSettings.defaults()
                        .withStateHostDir(STATE)
                        .withAgentVersion("test")
                        .withImages(ImageSettings.defaults()
                                .withFetch(fetch)
                                .withImagePolicy(ImageBundlesOnSystemd262Test.NO_DEVICE_MAPPER_POLICY)),
                StepObserver.NONE,
                io.confext.agent.healthcheck.HealthChecks.none(),
                new AgentMetrics(registry));

        // version 1: fetched, verified, activated and proven
        Path v1 = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/metricsdemo_1.raw",
                BUNDLE,
                "ID=_any\n",
                Map.of("demo/demo.conf", "value=1\n"),
                signer,
                null);
        BundleState s1 = converge(applier, bundle("1", HostBuiltImages.bytes(v1), trust, unit));
        assertThat(s1.getPhase()).as(s1.getMessage()).isEqualTo(BundlePhase.Active);
        PrometheusText p = PrometheusText.parse(registry.scrape());
        assertThat(p.value("confext_agent_activation_seconds_count", "bundle", BUNDLE, "result", "proven"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_activation_seconds_sum", "bundle", BUNDLE, "result", "proven"))
                .isPositive();
        assertThat(p.value("confext_agent_verification_seconds_count", "bundle", BUNDLE, "result", "accepted"))
                .isEqualTo(1);
        long size1 = Files.size(v1);
        assertThat(p.value("confext_agent_verified_bytes_total", "bundle", BUNDLE))
                .isEqualTo(size1);
        assertThat(p.value("confext_agent_versions_kept", "bundle", BUNDLE)).isEqualTo(1);
        assertThat(p.value("confext_agent_versions_quarantined", "bundle", BUNDLE))
                .isZero();
        assertThat(p.find("confext_agent_failures_total")).isEmpty();

        // the same version again (a resync): nothing activated or verified anew
        BundleState again = converge(applier, bundle("1", HostBuiltImages.bytes(v1), trust, unit));
        assertThat(again.getPhase()).as(again.getMessage()).isEqualTo(BundlePhase.Active);
        p = PrometheusText.parse(registry.scrape());
        assertThat(p.value("confext_agent_activation_seconds_count", "bundle", BUNDLE, "result", "proven"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_verification_seconds_count", "bundle", BUNDLE, "result", "accepted"))
                .isEqualTo(1);

        // version 2 with a flipped data byte: refused by the verifier, one failure by its reason, also on the next pass
        Path good2 = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/metricsdemo_2.raw",
                BUNDLE,
                "ID=_any\n",
                Map.of("demo/demo.conf", "value=2\n"),
                signer,
                null);
        byte[] flipped = HostBuiltImages.bytes(good2);
        flipped[(int) (ImageBundlesOnSystemd262Test.rootPartitionOffset(good2) + 100)] ^= 0x01;
        DesiredBundleContent tampered = bundle("2", flipped, trust, unit);
        for (int pass = 0; pass < 2; pass++) {
            BundleState refused = converge(applier, tampered);
            assertThat(refused.getPhase()).as(refused.getMessage()).isEqualTo(BundlePhase.Failed);
            assertThat(refused.getReason()).isEqualTo("VerityRootHashMismatch");
        }
        p = PrometheusText.parse(registry.scrape());
        assertThat(p.value("confext_agent_failures_total", "bundle", BUNDLE, "reason", "VerityRootHashMismatch"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_verification_seconds_count", "bundle", BUNDLE, "result", "refused"))
                .as("the standing refusal is not fetched and verified again")
                .isEqualTo(1);
        assertThat(p.value("confext_agent_verified_bytes_total", "bundle", BUNDLE))
                .isEqualTo(size1 + flipped.length);

        // version 3, verified, but the service's reload fails with it: rolled back, quarantined, one ReloadFailed
        Path bad3 = HostBuiltImages.ddi(
                host,
                "/var/tmp/images/metricsdemo_3.raw",
                BUNDLE,
                "ID=_any\n",
                Map.of("demo/demo.conf", "value=3\nfail_reload=yes\n"),
                signer,
                null);
        BundleState rolled = converge(applier, bundle("3", HostBuiltImages.bytes(bad3), trust, unit));
        assertThat(rolled.getPhase()).as(rolled.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(rolled.getReason()).isEqualTo("ReloadFailed");
        p = PrometheusText.parse(registry.scrape());
        assertThat(p.value("confext_agent_failures_total", "bundle", BUNDLE, "reason", "ReloadFailed"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_activation_seconds_count", "bundle", BUNDLE, "result", "failed"))
                .isEqualTo(1);
        assertThat(p.value("confext_agent_verification_seconds_count", "bundle", BUNDLE, "result", "accepted"))
                .isEqualTo(2);
        assertThat(p.value("confext_agent_versions_kept", "bundle", BUNDLE)).isEqualTo(1);
        assertThat(p.value("confext_agent_versions_quarantined", "bundle", BUNDLE))
                .isEqualTo(1);
        assertThat(DemoService.mainPidSees(host, unit, "demo/demo.conf")).contains("value=1\n");

        // the bundle goes: its gauges leave the page, its counters stay
        SystemdHostApplierTestSupport.only(applier.converge(List.of()));
        p = PrometheusText.parse(registry.scrape());
        assertThat(p.find("confext_agent_versions_kept", "bundle", BUNDLE)).isEmpty();
        assertThat(p.value("confext_agent_failures_total", "bundle", BUNDLE, "reason", "ReloadFailed"))
                .isEqualTo(1);
    }

    private static BundleState converge(SystemdHostApplier applier, DesiredBundleContent d) {
        return SystemdHostApplierTestSupport.only(applier.converge(List.of(d)));
    }

    /** Serves the image under a fresh name; the revision pins its sha256. */
    private static DesiredBundleContent bundle(String version, byte[] image, ResolvedVerification trust, String unit) {
        String served = BUNDLE + "-" + version + "-" + System.nanoTime() + "/" + BUNDLE + "_" + version + ".raw";
        server.put(served, image);
        String sha = HostBuiltImages.sha256(image);
        RevisionContent c = new RevisionContent(
                version,
                Scope.Service,
                List.of(unit),
                ResolvedSource.ofImage(
                        new ResolvedImage(server.uri("/ok/" + served).toString(), sha, false, null)),
                trust,
                ReloadMode.Reload,
                0);
        return new DesiredBundleContent(BUNDLE, BUNDLE + "-" + version, "sha256:" + sha, false, c);
    }
}
