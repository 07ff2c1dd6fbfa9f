package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Drift on a real systemd 262 host: a file under the proven version's {@code .v/} entry edited, then deleted, the unit's
 * drop-in replaced, then deleted (and the unit restarted without it, so it no longer sees the version). Each time the
 * next pass reports {@code Drifted} naming the path, writes the entry or drop-in again from the revision, the unit's
 * main process sees the revision's content again, and nothing is quarantined.
 */
@SystemdHostTest
class DriftOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();
    private static final String DROP_IN = "/etc/systemd/system/" + UNIT + ".d/50-confext-operator.conf";
    private static final String ENTRY = "/var/lib/confext-operator/bundles/demo.v/demo_1/";
    private static final String CONF = ENTRY + "etc/demo/demo.conf";
    private static final String QUARANTINE = "/var/lib/confext-operator/quarantine/demo";

    @Test
    void editedDeletedAndReplacedFilesAreReportedAndRepairedFromTheRevision(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, UNIT);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");
        DesiredBundleContent v1 = Bundles.service(UNIT, "1", ReloadMode.Restart, false);
        String good = Bundles.demoConfig("1", false);
        BundleState first = only(applier.converge(List.of(v1)));
        assertThat(first.getPhase()).as(first.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(first.getReason()).isEqualTo("Proven");
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(good);

        // a file of the staged version edited: the unit (which reads through the overlay) would see the edit
        host.writeFile(CONF, "version=1\ntampered=yes\n", "0644");
        BundleState edited = only(applier.converge(List.of(v1)));
        assertRepaired(host, edited, "changed " + CONF, good);

        // a file of the staged version deleted
        Files.delete(host.hostPath(CONF));
        BundleState deleted = only(applier.converge(List.of(v1)));
        assertRepaired(host, deleted, "missing " + CONF, good);

        // the drop-in replaced by other settings
        host.writeFile(DROP_IN, "[Service]\nEnvironment=X=1\n", "0644");
        BundleState replaced = only(applier.converge(List.of(v1)));
        assertRepaired(host, replaced, "changed " + DROP_IN, good);
        assertThat(host.readFile(DROP_IN)).contains("ExtensionDirectories=/var/lib/confext-operator/bundles/demo.v/");

        // the drop-in deleted and the unit restarted without it: it no longer sees the version
        Files.delete(host.hostPath(DROP_IN));
        host.execOk("systemctl", "daemon-reload");
        host.execOk("systemctl", "restart", UNIT);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).isEmpty();
        BundleState lost = only(applier.converge(List.of(v1)));
        assertRepaired(host, lost, "missing " + DROP_IN, good);
        assertThat(Files.exists(host.hostPath(DROP_IN))).isTrue();

        // repaired: the next pass finds nothing to report
        BundleState calm = only(applier.converge(List.of(v1)));
        assertThat(calm.getReason()).as(calm.getMessage()).isEqualTo("Proven");
    }

    private static void assertRepaired(SystemdHost host, BundleState s, String change, String good) throws Exception {
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s.getActiveVersion()).isEqualTo("1");
        assertThat(s.getReason()).as(s.getMessage()).isEqualTo("Drifted");
        assertThat(s.getMessage()).contains(change);
        assertThat(host.readFile(CONF))
                .as("the entry written again from the revision")
                .isEqualTo(good);
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
