package io.confext.agent.apply;

import static io.confext.agent.apply.SystemdHostApplierTestSupport.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the host-scope rename (a bundle's {@code .v/} directory is named by its priority, see
 * {@link HostExtensionDirs}) on a real systemd 262 host: a rename a crash interrupted, in each state the rename can
 * leave behind (a half copy in staging, both names in the search path, the old one retired but not deleted), is
 * finished by the next pass with the bundle's files in /etc throughout; and a version quarantined under the old name
 * stays quarantined, never staged under the new one, while the bundle's good version moves.
 */
@SystemdHostTest
class HostRenameEdgesOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();
    private static final String STATE = "/var/lib/confext-operator";
    private static final String CONFEXTS = "/var/lib/confexts";

    private static DesiredBundleContent alpha(String version, int priority, boolean failReload) {
        RevisionContent c = new RevisionContent(
                version,
                Scope.Host,
                List.of(UNIT),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile("demo/demo.conf", Bundles.demoConfig(version, failReload), "0644"))),
                null,
                ReloadMode.Reload,
                priority);
        return new DesiredBundleContent(
                "alpha", "alpha-" + version, "sha256:alpha" + version + "p" + priority + failReload, false, c);
    }

    @Test
    void aRenameACrashInterruptedIsFinishedByTheNextPass(@Host(HostImage.FORKY) SystemdHost host) throws Exception {
        DemoService.install(host, UNIT);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), STATE);
        String good = Bundles.demoConfig("1", false);
        assertActive(only(applier.converge(List.of(alpha("1", 500, false)))), "1");
        assertThat(list(host, CONFEXTS)).containsExactly("0500-alpha.v");

        // crashed while moving to priority 10, after the copy was renamed into the search path, before the old name
        // was retired; and a second attempt's half copy left in staging
        copyRenamed(host, "0500-alpha", "0010-alpha");
        host.execOk("mkdir", "-p", STATE + "/staging/0010-alpha.v.crashed/0010-alpha_1/etc/demo");
        host.writeFile(STATE + "/staging/0010-alpha.v.crashed/0010-alpha_1/etc/demo/demo.conf", "half", "0644");
        assertThat(host.readFile("/etc/demo/demo.conf")).isEqualTo(good);

        BundleState moved = only(applier.converge(List.of(alpha("1", 10, false))));
        assertActive(moved, "1");
        assertThat(list(host, CONFEXTS)).containsExactly("0010-alpha.v");
        assertThat(list(host, CONFEXTS + "/0010-alpha.v")).containsExactly("0010-alpha_1");
        assertThat(list(host, STATE + "/retired")).isEmpty();
        assertThat(list(host, STATE + "/staging")).as("the half copy is gone").isEmpty();
        assertMerged(host, "0010-alpha", "0500-alpha", good);

        // crashed while moving back to priority 500, after the old name was retired, before a refresh unmerged it
        // and it was deleted: /etc still holds the retired layer
        copyRenamed(host, "0010-alpha", "0500-alpha");
        host.execOk("mkdir", "-p", STATE + "/retired");
        host.execOk("mv", CONFEXTS + "/0010-alpha.v", STATE + "/retired/0010-alpha.v.crashed");
        assertThat(host.readFile("/etc/demo/demo.conf")).isEqualTo(good);

        BundleState back = only(applier.converge(List.of(alpha("1", 500, false))));
        assertActive(back, "1");
        assertThat(list(host, CONFEXTS)).containsExactly("0500-alpha.v");
        assertThat(list(host, STATE + "/retired"))
                .as("deleted once refreshed out of /etc")
                .isEmpty();
        assertMerged(host, "0500-alpha", "0010-alpha", good);

        // and a pass that finds nothing half done moves nothing
        assertActive(only(applier.converge(List.of(alpha("1", 500, false)))), "1");
        assertThat(list(host, CONFEXTS)).containsExactly("0500-alpha.v");
    }

    @Test
    void aVersionQuarantinedUnderTheOldNameIsNotBroughtBackByAPriorityChange(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, UNIT);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), STATE);
        String good = Bundles.demoConfig("1", false);
        assertActive(only(applier.converge(List.of(alpha("1", 500, false)))), "1");

        // version 2 fails its reload: rolled back to 1, and 2 quarantined under the name it was staged with
        BundleState bad = only(applier.converge(List.of(alpha("2", 500, true))));
        assertThat(bad.getPhase()).as(bad.getMessage()).isEqualTo(BundlePhase.RolledBack);
        assertThat(bad.getActiveVersion()).isEqualTo("1");
        List<String> quarantined = list(host, STATE + "/quarantine/alpha");
        assertThat(quarantined).singleElement().satisfies(q -> assertThat(q).startsWith("0500-alpha_2."));
        assertThat(list(host, CONFEXTS + "/0500-alpha.v")).containsExactly("0500-alpha_1");

        // the good version at another priority: renamed, and the failed one is neither carried over nor staged again
        BundleState moved = only(applier.converge(List.of(alpha("1", 10, false))));
        assertActive(moved, "1");
        assertThat(list(host, CONFEXTS)).containsExactly("0010-alpha.v");
        assertThat(list(host, CONFEXTS + "/0010-alpha.v")).containsExactly("0010-alpha_1");
        assertThat(list(host, STATE + "/quarantine/alpha"))
                .as("still held, once")
                .isEqualTo(quarantined);
        assertMerged(host, "0010-alpha", "0500-alpha", good);

        // the failed content again, now at the new priority: refused the same way, the host stays on 1
        BundleState again = only(applier.converge(List.of(alpha("2", 10, true))));
        assertThat(again.getPhase()).as(again.getMessage()).isIn(BundlePhase.RolledBack, BundlePhase.Failed);
        assertThat(again.getActiveVersion()).isEqualTo("1");
        assertThat(host.readFile("/etc/demo/demo.conf")).isEqualTo(good);
        assertThat(list(host, CONFEXTS + "/0010-alpha.v")).containsExactly("0010-alpha_1");

        // a fixed version 2 at the new priority is staged under the new name and wins
        BundleState fixed = only(applier.converge(List.of(alpha("2", 10, false))));
        assertActive(fixed, "2");
        assertThat(list(host, CONFEXTS + "/0010-alpha.v")).contains("0010-alpha_2");
        assertThat(host.readFile(CONFEXTS + "/0010-alpha.v/0010-alpha_2/etc/extension-release.d/"
                        + "extension-release.0010-alpha"))
                .isNotEmpty();
        assertMerged(host, "0010-alpha", "0500-alpha", Bundles.demoConfig("2", false));
    }

    private static void assertActive(BundleState s, String version) {
        assertThat(s.getPhase()).as(s.getReason() + ": " + s.getMessage()).isEqualTo(BundlePhase.Active);
        assertThat(s.getActiveVersion()).isEqualTo(version);
    }

    /** The host's /etc and the unit show the bundle's file, merged under {@code name} only. */
    private static void assertMerged(SystemdHost host, String name, String gone, String config) throws Exception {
        assertThat(host.readFile("/etc/demo/demo.conf")).isEqualTo(config);
        assertThat(DemoService.mainPidSees(host, UNIT, "demo/demo.conf")).contains(config);
        assertThat(host.execOk("systemd-confext", "status").stdout())
                .contains(name)
                .doesNotContain(gone);
    }

    /** What the rename's copy step makes (entries and release files renamed), renamed into the search path. */
    private static void copyRenamed(SystemdHost host, String from, String to) throws Exception {
        host.execOk("cp", "-a", CONFEXTS + "/" + from + ".v", CONFEXTS + "/" + to + ".v");
        for (String entry : list(host, CONFEXTS + "/" + to + ".v")) {
            String renamed = to + entry.substring(from.length());
            String dir = CONFEXTS + "/" + to + ".v/" + renamed;
            host.execOk("mv", CONFEXTS + "/" + to + ".v/" + entry, dir);
            host.execOk(
                    "mv",
                    dir + "/etc/extension-release.d/extension-release." + from,
                    dir + "/etc/extension-release.d/extension-release." + to);
        }
    }

    private static List<String> list(SystemdHost host, String dir) throws Exception {
        Path p = host.hostPath(dir);
        if (!Files.isDirectory(p)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }
}
