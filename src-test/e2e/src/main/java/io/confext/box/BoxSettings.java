package io.confext.box;

import io.confext.testbed.HostImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to build a box.
 *
 * @param repoRoot   the checkout: CRDs under {@code crds/}, jars under {@code operator/target} and
 *                   {@code node-daemonset/target}
 * @param workDir    kubeconfig and child logs
 * @param hostNames  one real systemd host (and Kubernetes Node) per name
 * @param out        where progress and the live view go
 * @param apiServer  which API server to start
 * @param agentEnv   more environment for the agents (e.g. {@code JAVA_TOOL_OPTIONS} naming a trust store for image
 *                   downloads from a test's own HTTPS server)
 * @param hostImages the systemd host a name boots where it is not {@link #DEFAULT_HOST_IMAGE} (a mixed fleet: a
 *                   systemd 257 host beside 262 ones)
 */
public record BoxSettings(
        Path repoRoot,
        Path workDir,
        List<String> hostNames,
        PrintStream out,
        ApiServerMode apiServer,
        Map<String, String> agentEnv,
        Map<String, HostImage> hostImages) {

    public static final String NAMESPACE = "confext-system";
    /** systemd 262: confext, and the refresh of a unit's confext stack on reload. */
    public static final HostImage DEFAULT_HOST_IMAGE = HostImage.FORKY;

    public static final String DEMO_UNIT = "demo.service";
    /** The demo service's own config before any bundle: what a host returns to when a bundle is removed. */
    public static final String HOST_OWN_CONFIG = "greeting=the host's own /etc\n";

    public BoxSettings {
        hostNames = List.copyOf(hostNames);
        agentEnv = Map.copyOf(agentEnv);
        hostImages = Map.copyOf(hostImages);
        if (!hostNames.containsAll(hostImages.keySet())) {
            throw new IllegalArgumentException("host images for hosts the box does not have: " + hostImages.keySet());
        }
    }

    public BoxSettings(Path repoRoot, Path workDir, List<String> hostNames, PrintStream out, ApiServerMode apiServer) {
        this(repoRoot, workDir, hostNames, out, apiServer, Map.of(), Map.of());
    }

    public BoxSettings(Path repoRoot, Path workDir, List<String> hostNames, PrintStream out) {
        this(repoRoot, workDir, hostNames, out, ApiServerMode.AUTO);
    }

    public BoxSettings withAgentEnv(Map<String, String> env) {
        return new BoxSettings(repoRoot, workDir, hostNames, out, apiServer, env, hostImages);
    }

    public BoxSettings withHostImage(String host, HostImage image) {
        Map<String, HostImage> images = new java.util.HashMap<>(hostImages);
        images.put(host, image);
        return new BoxSettings(repoRoot, workDir, hostNames, out, apiServer, agentEnv, images);
    }

    public HostImage hostImage(String host) {
        return hostImages.getOrDefault(host, DEFAULT_HOST_IMAGE);
    }

    public static Path defaultRepoRoot() {
        String prop = System.getProperty("confext.repo.root");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path d = p.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("crds")) && Files.isDirectory(d.resolve("operator"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the checkout (a directory with crds/ and operator/) from " + p
                + "; run from the checkout or set -Dconfext.repo.root");
    }

    Path operatorJar() {
        return repoRoot.resolve("operator/target/quarkus-app/quarkus-run.jar");
    }

    Path agentJar() {
        return repoRoot.resolve("node-daemonset/target/quarkus-app/quarkus-run.jar");
    }

    /** The agent's start script, as the agent image runs it (node-daemonset/src/main/sh). */
    Path agentLauncher() {
        return repoRoot.resolve("node-daemonset/src/main/sh/confext-agent");
    }

    Path kubeconfig() {
        return workDir.resolve("kubeconfig");
    }

    List<Path> crdFiles() {
        return List.of(
                repoRoot.resolve("crds/confextbundles.confext.io.yaml"),
                repoRoot.resolve("crds/confextnodes.confext.io.yaml"));
    }
}
