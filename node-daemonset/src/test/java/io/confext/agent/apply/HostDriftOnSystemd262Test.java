package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.metrics.AgentMetrics;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import io.confext.testsupport.metrics.PrometheusText;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Drift of a host-scope bundle on a real systemd 262 host: a file of the proven version's entry in
 * {@code /var/lib/confexts} edited, deleted, replaced by another file, and a file added beside it. Each time the next
 * pass reports {@code Drifted} naming the path, writes the entry again from the revision, the host's /etc and the
 * unit's main process show the revision's content again, nothing is quarantined, and the drift counter
 * ({@code confext_agent_drift_repairs_total}) counts the repair.
 */
@SystemdHostTest
class HostDriftOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();
    private static final String NAME = HostStackOrder.directoryName("hostdrift", 0);
    private static final String ENTRY = "/var/lib/confexts/" + NAME + ".v/" + NAME + "_1/";
    private static final String CONF = ENTRY + "etc/demo/demo.conf";
    private static final String QUARANTINE = "/var/lib/confext-operator/quarantine/hostdrift";

    @Test
    void hostScopeDriftIsReportedCountedAndRepairedFromTheRevision(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, UNIT);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SystemdHostApplier applier = new SystemdHostApplier(
                host.leaderPid(),
                ApplierSettings.defaults().withStateHostDir("/var/lib/confext-operator"),
                StepObserver.NONE,
                io.confext.agent.healthcheck.HealthChecks.none(),
                new AgentMetrics(registry));
        DesiredBundleContent v1 = Bundles.demo("hostdrift", "1", Scope.Host, ReloadMode.Reload, false, false, UNIT);
        String good = Bundles.demoConfig("1", false);
        BundleState first = only(applier.converge(List.of(v1)));
        assertThat(first.getPhase()).as(first.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(first.getReason()).isEqualTo("Proven");
        assertThat(host.readFile("/etc/demo/demo.conf")).isEqualTo(good);
        assertThat(repairs(registry)).isZero();

        // edited (what the merged /etc shows of a changed lower layer is up to overlayfs: only the entry is asserted)
        host.writeFile(CONF, "version=1\ntampered=yes\n", "0644");
        assertRepaired(host, only(applier.converge(List.of(v1))), "changed " + CONF, good);
        assertThat(repairs(registry)).isEqualTo(1);

        // deleted
        Files.delete(host.hostPath(CONF));
        assertRepaired(host, only(applier.converge(List.of(v1))), "missing " + CONF, good);
        assertThat(repairs(registry)).isEqualTo(2);

        // replaced by another file (renamed over it, another mode)
        host.writeFile(ENTRY + "etc/demo/.new", "version=9\n", "0600");
        Files.move(
                host.hostPath(ENTRY + "etc/demo/.new"),
                host.hostPath(CONF),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertRepaired(host, only(applier.converge(List.of(v1))), "changed " + CONF, good);
        assertThat(repairs(registry)).isEqualTo(3);

        // a file added to the entry: it would show in every program's /etc
        host.writeFile(ENTRY + "etc/demo/extra.conf", "extra=1\n", "0644");
        assertRepaired(host, only(applier.converge(List.of(v1))), "added " + ENTRY + "etc/demo/extra.conf", good);
        assertThat(Files.exists(host.hostPath("/etc/demo/extra.conf"))).isFalse();
        assertThat(repairs(registry)).isEqualTo(4);

        // repaired: the next pass finds nothing to report and counts nothing
        BundleState calm = only(applier.converge(List.of(v1)));
        assertThat(calm.getReason()).as(calm.getMessage()).isEqualTo("Proven");
        assertThat(repairs(registry)).isEqualTo(4);
    }

    private static double repairs(PrometheusMeterRegistry registry) {
        PrometheusText p = PrometheusText.parse(registry.scrape());
        return p.sum("confext_agent_drift_repairs_total", "bundle", "hostdrift"); // 0 before the first repair
    }

    private static void assertRepaired(SystemdHost host, BundleState s, String change, String good) throws Exception {
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s.getActiveVersion()).isEqualTo("1");
        assertThat(s.getReason()).as(s.getMessage()).isEqualTo("Drifted");
        assertThat(s.getMessage()).contains(change);
        assertThat(host.readFile(CONF))
                .as("the entry written again from the revision")
                .isEqualTo(good);
        assertThat(host.readFile("/etc/demo/demo.conf")).as("the host's /etc").isEqualTo(good);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf"))
                .as("what the unit's main process reads")
                .contains(good);
        Path q = host.hostPath(QUARANTINE);
        assertThat(!Files.exists(q) || isEmpty(q))
                .as("nothing quarantined for drift")
                .isTrue();
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static BundleState only(List<BundleState> states) {
        assertThat(states).hasSize(1);
        return states.get(0);
    }
}
