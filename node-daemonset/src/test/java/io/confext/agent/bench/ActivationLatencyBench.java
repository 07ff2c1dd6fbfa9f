package io.confext.agent.bench;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.apply.PlainRootHost;
import io.confext.agent.apply.SystemdHostApplier;
import io.confext.agent.host.HostFiles;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.testsupport.tier.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Activation latency: desired version handed to converge -> the unit's main process sees it, against a shell
 * baseline doing the same by hand (copy, rename into the .v/, systemctl reload) on a second unit of the same host,
 * in the same run. Not a test: run with {@code -Dbench=true}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
@HostTest
class ActivationLatencyBench {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 15);

    @Test
    void agentVersusShell() throws Exception {
        try (PlainRootHost host = PlainRootHost.boot("forky")) {
            String agentUnit = "bench-agent.service";
            String shellUnit = "bench-shell.service";
            host.installDemo(agentUnit);
            host.installDemo(shellUnit);
            SystemdHostApplier applier = new SystemdHostApplier(host.leaderPid(), "/var/lib/confext-operator");
            check(applier.converge(List.of(bundle(agentUnit, "0"))));

            // the shell side: its own .v/ and drop-in, attached once (restart), like the agent's first step
            String shellV = "/var/lib/shellbench/shell.v";
            host.execOk(
                    "sh",
                    "-c",
                    "mkdir -p " + shellV + " /etc/systemd/system/" + shellUnit + ".d && "
                            + "printf '[Service]\\nExtensionDirectories=" + shellV + "/\\n' > /etc/systemd/system/"
                            + shellUnit
                            + ".d/50-bench.conf && systemctl daemon-reload");
            shellVersion(host, shellV, "0");
            host.execOk("systemctl", "restart", shellUnit);

            List<Long> agent = new ArrayList<>();
            List<Long> shell = new ArrayList<>();
            for (int i = 1; i <= ROUNDS; i++) {
                String v = Integer.toString(i);
                long t0 = System.nanoTime();
                check(applier.converge(List.of(bundle(agentUnit, v))));
                awaitSees(host, agentUnit, config(v));
                agent.add(System.nanoTime() - t0);

                host.execOk(
                        "sh",
                        "-c",
                        "rm -rf /var/lib/shellbench/src && mkdir -p /var/lib/shellbench/src/etc/demo "
                                + "/var/lib/shellbench/src/etc/extension-release.d && printf '"
                                + config(v).replace("\n", "\\n")
                                + "' > /var/lib/shellbench/src/etc/demo/demo.conf && printf 'ID=_any\\n' > "
                                + "/var/lib/shellbench/src/etc/extension-release.d/extension-release.shell");
                long s0 = System.nanoTime();
                host.execOk(
                        "sh",
                        "-c",
                        "cp -a /var/lib/shellbench/src " + shellV + "/.tmp && mv " + shellV + "/.tmp " + shellV
                                + "/shell_" + v + " && systemctl reload " + shellUnit);
                awaitSees(host, shellUnit, config(v));
                shell.add(System.nanoTime() - s0);
            }
            long a = median(agent);
            long s = median(shell);
            String line = String.format(
                    "agent median %.1f ms (min %.1f, max %.1f); shell median %.1f ms (min %.1f, max %.1f);"
                            + " ratio agent/shell %.2f over %d rounds",
                    a / 1e6,
                    min(agent) / 1e6,
                    max(agent) / 1e6,
                    s / 1e6,
                    min(shell) / 1e6,
                    max(shell) / 1e6,
                    (double) a / s,
                    ROUNDS);
            System.out.println("BENCH activation latency: " + line);
            Files.writeString(Path.of("target", "activation-latency.txt"), line + "\n");
        }
    }

    private static void shellVersion(PlainRootHost host, String dir, String v) {
        host.execOk(
                "sh",
                "-c",
                "mkdir -p " + dir + "/shell_" + v + "/etc/demo " + dir + "/shell_" + v
                        + "/etc/extension-release.d && printf '" + config(v).replace("\n", "\\n") + "' > " + dir
                        + "/shell_" + v
                        + "/etc/demo/demo.conf && printf 'ID=_any\\n' > " + dir + "/shell_" + v
                        + "/etc/extension-release.d/extension-release.shell");
    }

    private static void awaitSees(PlainRootHost host, String unit, String content) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long pid = host.mainPid(unit);
        Path conf = host.files().resolve("/proc/" + pid + "/root/etc/demo/demo.conf");
        while (!Optional.of(content).equals(HostFiles.readString(conf))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(unit + " did not see " + content);
            }
            Thread.sleep(1);
        }
    }

    private static String config(String v) {
        return "version=" + v + "\n";
    }

    private static DesiredBundleContent bundle(String unit, String v) {
        RevisionContent c = new RevisionContent(
                v,
                Scope.Service,
                List.of(unit),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("demo/demo.conf", config(v), "0644"))),
                null,
                ReloadMode.Reload,
                0);
        return new DesiredBundleContent("bench", "bench-" + v, "sha256:" + v, false, c);
    }

    private static void check(List<BundleState> states) {
        if (states.get(0).getPhase() != BundlePhase.Active) {
            throw new AssertionError(states.get(0).getMessage());
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }

    private static long min(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    private static long max(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
