package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.ShadowedPath;
import io.confext.testbed.DemoService;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Host scope, two bundles shipping one path: the higher priority's file is the host's, both bundles are proven (the
 * lower one's proof leaves out the shadowed path), the lower one's status names the path and the bundle shadowing it;
 * swapping the priorities renames both extensions, and the other one wins.
 */
@SystemdHostTest
class HostPriorityOnSystemd262Test {
    private static final String UNIT = Bundles.uniqueUnit();
    private static final String SHARED = "demo/demo.conf";

    private static DesiredBundleContent bundle(String name, int priority) {
        RevisionContent c = new RevisionContent(
                "1",
                Scope.Host,
                List.of(UNIT),
                ResolvedSource.ofFiles(List.of(
                        new ResolvedFile(SHARED, "from=" + name + "\n", "0644"),
                        new ResolvedFile("demo/" + name + ".conf", name + "\n", "0644"))),
                null,
                ReloadMode.Reload,
                priority);
        return new DesiredBundleContent(name, name + "-1", "sha256:" + name + priority, false, c);
    }

    @Test
    void higherPriorityWinsOnTheHostAndSwappingPrioritiesSwapsTheWinner(@Host(HostImage.FORKY) SystemdHost host)
            throws Exception {
        DemoService.install(host, UNIT);
        SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");

        // "alpha" sorts first by name: only its priority can put "beta" below it
        Map<String, BundleState> first = byName(applier.converge(List.of(bundle("alpha", 500), bundle("beta", 10))));
        assertThat(first.values())
                .extracting(BundleState::getName, BundleState::getPhase)
                .as(messages(first))
                .containsOnly(tuple("alpha", BundlePhase.Active), tuple("beta", BundlePhase.Active));
        assertThat(host.readFile("/etc/" + SHARED)).isEqualTo("from=alpha\n");
        assertThat(DemoService.mainPidSees(host, UNIT, SHARED)).contains("from=alpha\n");
        assertThat(host.readFile("/etc/demo/beta.conf")).isEqualTo("beta\n"); // what nobody shadows stays beta's
        assertThat(shadowed(first.get("beta"))).containsExactly(tuple(SHARED, "alpha"));
        assertThat(first.get("alpha").getShadowed()).isNull();
        assertThat(confexts(host)).containsExactlyInAnyOrder("0500-alpha.v", "0010-beta.v");
        assertThat(host.execOk("systemd-confext", "status").stdout()).contains("0500-alpha", "0010-beta");

        // a resync proves both again, nothing moves
        Map<String, BundleState> again = byName(applier.converge(List.of(bundle("alpha", 500), bundle("beta", 10))));
        assertThat(again.values()).extracting(BundleState::getPhase).containsOnly(BundlePhase.Active);
        assertThat(shadowed(again.get("beta"))).containsExactly(tuple(SHARED, "alpha"));

        // swapped: both renamed, beta wins; the host never loses either bundle's files on the way
        Map<String, BundleState> swapped = byName(applier.converge(List.of(bundle("alpha", 10), bundle("beta", 500))));
        assertThat(swapped.values())
                .extracting(BundleState::getName, BundleState::getPhase)
                .as(messages(swapped))
                .containsOnly(tuple("alpha", BundlePhase.Active), tuple("beta", BundlePhase.Active));
        assertThat(host.readFile("/etc/" + SHARED)).isEqualTo("from=beta\n");
        assertThat(DemoService.mainPidSees(host, UNIT, SHARED)).contains("from=beta\n");
        assertThat(host.readFile("/etc/demo/alpha.conf")).isEqualTo("alpha\n");
        assertThat(shadowed(swapped.get("alpha"))).containsExactly(tuple(SHARED, "beta"));
        assertThat(swapped.get("beta").getShadowed()).isNull();
        assertThat(confexts(host)).containsExactlyInAnyOrder("0010-alpha.v", "0500-beta.v");
        assertThat(retired(host)).isEmpty();
        String status = host.execOk("systemd-confext", "status").stdout();
        assertThat(status).contains("0010-alpha", "0500-beta").doesNotContain("0500-alpha");

        // taking the winner away reveals the other's file; the lower one is no longer shadowed
        Map<String, BundleState> alone = byName(applier.converge(List.of(bundle("alpha", 10))));
        assertThat(alone.get("beta").getPhase()).isEqualTo(BundlePhase.Removed);
        assertThat(alone.get("alpha").getPhase())
                .as(alone.get("alpha").getMessage())
                .isEqualTo(BundlePhase.Active);
        assertThat(alone.get("alpha").getShadowed()).isNull();
        assertThat(host.readFile("/etc/" + SHARED)).isEqualTo("from=alpha\n");
        assertThat(confexts(host)).containsExactly("0010-alpha.v");
    }

    private static Map<String, BundleState> byName(List<BundleState> states) {
        return states.stream().collect(Collectors.toMap(BundleState::getName, Function.identity()));
    }

    private static String messages(Map<String, BundleState> states) {
        return states.values().stream()
                .map(s -> s.getName() + ": " + s.getReason() + " " + s.getMessage())
                .collect(Collectors.joining("; "));
    }

    private static List<org.assertj.core.groups.Tuple> shadowed(BundleState s) {
        assertThat(s.getShadowed()).as(s.getName() + " shadowed").isNotNull();
        return s.getShadowed().stream()
                .map((ShadowedPath p) -> tuple(p.getPath(), p.getBy()))
                .toList();
    }

    private static List<String> confexts(SystemdHost host) throws Exception {
        return list(host.hostPath("/var/lib/confexts"));
    }

    private static List<String> retired(SystemdHost host) throws Exception {
        return list(host.hostPath("/var/lib/confext-operator/retired"));
    }

    private static List<String> list(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
