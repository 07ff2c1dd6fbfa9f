package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.host.HostPaths;
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
 * Symbolic links planted on a real systemd 262 host where the agent writes: a unit's drop-in directory, an entry of a
 * bundle's {@code .v/}, the {@code .v/} itself and state.json. Each time the agent refuses with
 * {@link HostPaths#SYMLINK} naming the link, writes nothing through it (the target stays as it was, on the host and in
 * the agent's own file system, where an absolute link through /proc/<pid>/root would otherwise end), and once the
 * link is gone the bundle applies on the next pass.
 */
@SystemdHostTest
class PlantedLinksOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();
    private static final String STATE = "/var/lib/confext-operator";
    /** Where the planted links point: a directory on the host holding one file that must stay untouched. */
    private static final String VICTIM = "/tmp/confext-victim-" + UNIT.substring(5, 13);

    @Test
    void plantedLinksAreRefusedAndNothingIsWrittenThroughThem(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, UNIT);
        host.execOk("mkdir", "-p", VICTIM);
        host.writeFile(VICTIM + "/keep", "untouched\n", "0644");
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), STATE);

        // 1. the unit's drop-in directory is a link: refused before the bundle's version is even staged
        String dropInDir = "/etc/systemd/system/" + UNIT + ".d";
        host.execOk("ln", "-s", VICTIM, dropInDir);
        BundleState s = only(applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Restart, false))));
        assertRefused(s, dropInDir);
        assertVictimUntouched(host);
        assertThat(Files.exists(host.hostPath(STATE + "/bundles/demo.v")))
                .as("nothing staged or moved in")
                .isFalse();
        host.execOk("rm", dropInDir);
        s = only(applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Restart, false))));
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("1", false));

        // 2. an entry of the .v/ directory is a link: not a version of the agent's, refused; version 1 stays active
        String entry = STATE + "/bundles/demo.v/demo_3";
        host.execOk("ln", "-s", VICTIM, entry);
        long pid1 = DemoService.mainPid(host, UNIT);
        s = only(applier.converge(List.of(Bundles.service(UNIT, "2", ReloadMode.Restart, false))));
        assertRefused(s, entry);
        assertVictimUntouched(host);
        assertThat(DemoService.mainPid(host, UNIT))
                .as("the unit was not touched")
                .isEqualTo(pid1);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("1", false));
        assertThat(Files.exists(host.hostPath(STATE + "/bundles/demo.v/demo_2")))
                .isFalse();
        host.execOk("rm", entry);

        // 3. the bundle's .v/ directory itself is a link
        BundleState removed = only(applier.converge(List.of()));
        assertThat(removed.getPhase()).as(removed.getMessage()).isEqualTo(BundlePhase.Removed);
        String versions = STATE + "/bundles/demo.v";
        host.execOk("ln", "-s", VICTIM, versions);
        s = only(applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Restart, false))));
        assertRefused(s, versions);
        assertVictimUntouched(host);
        assertThat(Files.exists(host.hostPath(dropInDir + "/" + DropIn.FILE_NAME)))
                .as("no drop-in written")
                .isFalse();
        host.execOk("rm", versions);

        // 4. state.json is a link: the converge stops before the lock and the state, every wanted bundle says why
        String stateFile = STATE + "/state.json";
        host.execOk("mv", stateFile, STATE + "/state.json.saved");
        host.execOk("ln", "-s", VICTIM + "/keep", stateFile);
        s = only(applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Restart, false))));
        assertRefused(s, stateFile);
        assertVictimUntouched(host);
        assertThat(Files.exists(host.hostPath(versions))).isFalse();
        host.execOk("rm", stateFile);
        host.execOk("mv", STATE + "/state.json.saved", stateFile);

        s = only(applier.converge(List.of(Bundles.service(UNIT, "1", ReloadMode.Restart, false))));
        assertThat(s.getPhase())
                .as("applies once the links are gone: " + s.getMessage())
                .isEqualTo(BundlePhase.Active);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(Bundles.demoConfig("1", false));
        assertVictimUntouched(host);
    }

    private static void assertRefused(BundleState s, String hostPath) {
        assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(BundlePhase.Failed);
        assertThat(s.getReason()).as(s.getMessage()).isEqualTo(HostPaths.SYMLINK);
        assertThat(s.getMessage())
                .startsWith(hostPath + " on the host is a symbolic link to " + VICTIM)
                .contains("the agent does not follow links it did not create: remove it");
    }

    private static void assertVictimUntouched(SystemdHost host) {
        assertThat(host.execOk("ls", "-A", VICTIM).stdout().strip()).isEqualTo("keep");
        assertThat(host.readFile(VICTIM + "/keep")).isEqualTo("untouched\n");
        // an absolute link followed through /proc/<pid>/root would have landed in the agent's (this JVM's) /tmp
        assertThat(Files.exists(Path.of(VICTIM))).isFalse();
    }

    private static BundleState only(List<BundleState> states) {
        assertThat(states).hasSize(1);
        return states.get(0);
    }
}
