package io.confext.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kube-apiserver/etcd/kubectl built by {@code scripts/build-k8s-binaries}, in kube-api-test's layout
 * (shared by the real-API-server tier and the cluster in a box):
 * {@code <dir>/k8s/<x.y.z>-linux-amd64/{kube-apiserver,etcd,kubectl}}.
 *
 * @param dir     the cache root ({@code ~/.cache/confext-operator} unless {@code CONFEXT_CACHE_DIR})
 * @param version the newest complete set, if any
 */
public record K8sBinaries(Path dir, Optional<String> version) {

    private static final List<String> REQUIRED = List.of("kube-apiserver", "etcd", "kubectl");
    private static final String BUILD_HINT = "run scripts/build-k8s-binaries to build kube-apiserver, etcd and kubectl"
            + " from their Go modules (once; later runs reuse ~/.cache/confext-operator/k8s)";

    public static K8sBinaries find() {
        String cache = System.getenv("CONFEXT_CACHE_DIR");
        Path dir = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "confext-operator");
        return new K8sBinaries(dir, newestComplete(dir.resolve("k8s")));
    }

    public boolean available() {
        return version.isPresent();
    }

    public String unavailableMessage() {
        return "no complete kube-apiserver/etcd/kubectl set under " + dir.resolve("k8s") + ": " + BUILD_HINT;
    }

    /** What the real-nodes tier runs besides the API server: a kubelet per node, the controller-manager, the scheduler. */
    private static final List<String> NODE_TIER = List.of("kubelet", "kube-controller-manager", "kube-scheduler");

    public boolean nodeBinariesAvailable() {
        return available() && NODE_TIER.stream().allMatch(b -> Files.isExecutable(binDir().resolve(b)));
    }

    public String nodeBinariesMessage() {
        return "no kubelet, kube-controller-manager and kube-scheduler beside kube-apiserver under "
                + dir.resolve("k8s")
                + ": run scripts/build-k8s-binaries (builds them from the Kubernetes Go modules, about 10 minutes once)";
    }

    /** The directory of the newest complete set. */
    public Path binDir() {
        return dir.resolve("k8s").resolve(version.orElseThrow() + "-linux-amd64");
    }

    public Path kubectl() {
        return dir.resolve("k8s")
                .resolve(version.orElseThrow() + "-linux-amd64")
                .resolve("kubectl");
    }

    private static Optional<String> newestComplete(Path k8s) {
        if (!Files.isDirectory(k8s)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(k8s)) {
            return dirs.filter(d -> d.getFileName().toString().endsWith("-linux-amd64"))
                    .filter(d -> REQUIRED.stream().allMatch(b -> Files.isExecutable(d.resolve(b))))
                    .map(d -> d.getFileName().toString().replace("-linux-amd64", ""))
                    .max(K8sBinaries::compareVersions);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(parse(x[i]), parse(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int parse(String part) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
