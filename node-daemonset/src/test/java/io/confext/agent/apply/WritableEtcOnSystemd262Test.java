package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testbed.DemoService;
import io.confext.testbed.ExecResult;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host-scope merge leaves /etc writable for everything else (see {@link HostMergePlan}), on systemd 262 and on 257:
 * after the merge, after a refresh to a second version and after a reboot, other programs write a new file into /etc
 * and edit a host file, and every write is intact, visible at /etc and on the host's real /etc. The bundle's files
 * stay the bundle's (on disk only in its layer); a service-scope drop-in goes to /etc/systemd/system and survives the
 * reboot. The trade-off is asserted too: a write to a bundle's file lands in the real /etc and shadows the bundle.
 */
@SystemdHostTest
class WritableEtcOnSystemd262Test {
    private static final String HOST_FILE = "/etc/host-owned.conf";
    private static final String BUNDLE_FILE = "/etc/demo/demo.conf";

    @Test
    void etcStaysWritableOnSystemd262(SystemdHost host) {
        scenario(host);
    }

    @Test
    void etcStaysWritableOnSystemd257(@Host(HostImage.TRIXIE) SystemdHost host) {
        scenario(host);
    }

    /** The cost of the real /etc on top: a host file at a bundle's path hides the bundle's, and the proof says so. */
    @Test
    void aHostFileAtTheBundlesPathWinsAndFailsTheProof(SystemdHost host) {
        String unit = Bundles.uniqueUnit();
        DemoService.install(host, unit);
        host.writeFile(BUNDLE_FILE, "the host's own\n", "0644");
        BundleState s = SystemdHostApplierTestSupport.only(new SystemdHostApplier(
                        host.leaderPid(), "/var/lib/confext-operator")
                .converge(List.of(Bundles.demo("hostdemo", "1", Scope.Host, ReloadMode.Reload, false, false, unit))));
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(s.getMessage()).contains(BUNDLE_FILE + " differs");
        assertThat(host.readFile(BUNDLE_FILE)).isEqualTo("the host's own\n");
    }

    private void scenario(SystemdHost host) {
        String unit = Bundles.uniqueUnit();
        String serviceUnit = Bundles.uniqueUnit();
        DemoService.install(host, unit);
        DemoService.install(host, serviceUnit);
        host.writeFile(HOST_FILE, "original\n", "0644");
        List<String> written = new ArrayList<>();
        StringBuilder edits = new StringBuilder("original\n");

        converge(host, "1", unit, serviceUnit);
        assertThat(host.execOk("findmnt", "-no", "FSTYPE,OPTIONS", "/etc").stdout())
                .as("merged /etc")
                .startsWith("overlay rw");
        writeAsAnotherProgram(host, "merged", written, edits);
        assertIntact(host, written, edits, "1");

        converge(host, "2", unit, serviceUnit);
        assertIntact(host, written, edits, "2");
        writeAsAnotherProgram(host, "refreshed", written, edits);
        assertIntact(host, written, edits, "2");

        host.reboot(); // nothing merges /etc at boot here (systemd-confext.service is disabled): the agent does
        assertThat(host.readFile(HOST_FILE)).isEqualTo(edits.toString());
        written.forEach(
                f -> assertThat(host.hostPath(f)).as(f + " after the reboot").exists());
        assertThat(host.hostPath(dropInOf(serviceUnit)))
                .as("the drop-in survives the reboot")
                .exists();
        writeAsAnotherProgram(host, "rebooted", written, edits);
        host.execOk("systemctl", "start", unit, serviceUnit); // the demo units are not enabled

        converge(host, "3", unit, serviceUnit); // the agent after the reboot (a new leader PID), merging a new version
        assertIntact(host, written, edits, "3");
        writeAsAnotherProgram(host, "remerged", written, edits);
        assertIntact(host, written, edits, "3");

        // the trade-off (docs/api.md, "Host scope"): a write to a bundle's file is copied up into the real /etc
        ExecResult w = host.exec("sh", "-c", "echo edited > " + BUNDLE_FILE);
        assertThat(w.ok()).as(w.stderr()).isTrue();
        assertThat(host.onDisk(BUNDLE_FILE)).as("copied up into the real /etc").hasContent("edited\n");
    }

    private static void converge(SystemdHost host, String version, String unit, String serviceUnit) {
        // a new applier each time: the agent's host PID changes with a reboot
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");
        List<BundleState> states = applier.converge(List.of(
                Bundles.demo("hostdemo", version, Scope.Host, ReloadMode.Reload, false, false, unit),
                Bundles.demo(
                        "svcdemo", version, Scope.Service, ReloadMode.ReloadOrRestart, false, false, serviceUnit)));
        for (BundleState s : states) {
            assertThat(s.getPhase()).as(s.getName() + ": " + s.getMessage()).isEqualTo(BundlePhase.Active);
            assertThat(s.getActiveVersion()).isEqualTo(version);
        }
        assertThat(host.execOk("systemd-confext", "status").stdout()).contains("hostdemo");
        assertThat(host.hostPath(dropInOf(serviceUnit)))
                .as("drop-in in /etc/systemd/system, not /run")
                .exists();
        assertThat(host.hostPath("/run/systemd/system/" + serviceUnit + ".d/" + DropIn.FILE_NAME))
                .doesNotExist();
    }

    private static String dropInOf(String unit) {
        return "/etc/systemd/system/" + unit + ".d/" + DropIn.FILE_NAME;
    }

    /** As kubelet, useradd or a package hook would: a process on the host writes through the merged /etc. */
    private static void writeAsAnotherProgram(
            SystemdHost host, String stage, List<String> written, StringBuilder edits) {
        String file = "/etc/written-" + stage + ".conf";
        host.execOk("sh", "-c", "echo " + stage + " > " + file + " && echo " + stage + " >> " + HOST_FILE);
        written.add(file);
        edits.append(stage).append('\n');
    }

    private static void assertIntact(SystemdHost host, List<String> written, StringBuilder edits, String version) {
        for (String f : written) {
            String stage = f.substring("/etc/written-".length(), f.length() - ".conf".length());
            assertThat(host.readFile(f)).as(f + " at /etc").isEqualTo(stage + "\n");
            assertThat(host.onDisk(f)).as(f + " in the real /etc").hasContent(stage + "\n");
        }
        assertThat(host.readFile(HOST_FILE)).as("the edited host file at /etc").isEqualTo(edits.toString());
        assertThat(host.onDisk(HOST_FILE))
                .as("the edited host file in the real /etc")
                .hasContent(edits.toString());
        // the bundle's file is the bundle's: at /etc with its content, on disk only in its layer
        assertThat(host.readFile(BUNDLE_FILE)).isEqualTo(Bundles.demoConfig(version, false));
        assertThat(Files.exists(host.onDisk(BUNDLE_FILE)))
                .as("the bundle's file is not in the real /etc")
                .isFalse();
        String name = HostStackOrder.directoryName("hostdemo", 0); // host scope: named by its priority
        assertThat(host.onDisk("/var/lib/confexts/" + name + ".v/" + name + "_" + version + BUNDLE_FILE))
                .hasContent(Bundles.demoConfig(version, false));
    }
}
