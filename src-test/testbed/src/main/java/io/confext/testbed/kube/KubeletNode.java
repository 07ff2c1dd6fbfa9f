package io.confext.testbed.kube;

import io.confext.testbed.BootOptions;
import io.confext.testbed.ExecResult;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.TestbedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A booted systemd 262 host that is a Kubernetes node: Debian's containerd and runc, a kubelet built from the
 * Kubernetes Go modules, registered with its own node client certificate, in a network namespace of its own on
 * the cluster bridge. Pods on it with {@code hostPID: true} see this host's systemd as PID 1: the agent's
 * production code path.
 *
 * <p>What a test node does differently from a production node, and why, is in the resource files beside this
 * class ({@code runc-nolimits}, {@code kubelet-config.yaml}, {@code kubelet-sysctls}) and DESIGN.md "Real nodes".
 */
public final class KubeletNode implements AutoCloseable {

    /** Everything runc needs that nspawn's default seccomp filter refuses; a node's processes run as real root. */
    static final List<String> NSPAWN_ARGUMENTS =
            List.of("--system-call-filter=@keyring", "--system-call-filter=bpf", "--private-users=no");

    private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(5);

    private final SystemdHost host;
    private final String address;
    private final int index;

    private KubeletNode(SystemdHost host, String address, int index) {
        this.host = host;
        this.address = address;
        this.index = index;
    }

    /**
     * Boots node {@code index} named {@code name}, loads {@code images} into its containerd and starts its
     * kubelet against {@code controlPlane}. Does not wait for the Node to be Ready (see
     * {@link RealNodeCluster#awaitNodesReady}).
     *
     * @param sandboxImage the pause image's name, one of {@code images}
     */
    static KubeletNode start(
            int index,
            String name,
            Path namespace,
            Path kubelet,
            ControlPlane controlPlane,
            List<Path> images,
            String sandboxImage) {
        String address = NodeNetwork.nodeAddress(index);
        SystemdHost host = SystemdHost.boot(
                HostImage.NODE,
                name,
                BootOptions.defaults().withNetworkNamespace(namespace).withExtraArguments(NSPAWN_ARGUMENTS));
        KubeletNode node = new KubeletNode(host, address, index);
        try {
            node.configure(name, kubelet, controlPlane, sandboxImage);
            node.importImages(images);
            host.execOk("systemctl", "daemon-reload");
            host.execOk("systemctl", "enable", "--now", "kubelet.service");
            return node;
        } catch (RuntimeException e) {
            String journal = node.journal("kubelet.service", 40);
            host.close();
            throw new TestbedException(
                    "cannot make " + name + " a Kubernetes node: " + e.getMessage() + "\n" + journal, e);
        }
    }

    private void configure(String name, Path kubelet, ControlPlane controlPlane, String sandboxImage) {
        ClusterPki pki = controlPlane.pki();
        String clientCert = "kubelet-" + name;
        String servingCert = "kubelet-serving-" + name;
        pki.issue(clientCert, "/O=system:nodes/CN=system:node:" + name, List.of());
        pki.issue(servingCert, "/CN=" + name, List.of("IP:" + address, "DNS:" + name));
        Map<String, String> values = Map.of(
                "NODE_IP",
                address,
                "NODE_NAME",
                name,
                "POD_RANGE",
                NodeNetwork.podRange(index),
                "SANDBOX_IMAGE",
                sandboxImage);

        copy(kubelet, "/usr/local/bin/kubelet", "0755");
        host.writeFile("/usr/local/bin/runc-nolimits", resource("runc-nolimits", values), "0755");
        host.writeFile("/usr/local/lib/testbed/kubelet-sysctls", resource("kubelet-sysctls", values), "0755");
        host.writeFile("/etc/containerd/config.toml", resource("containerd-config.toml", values), "0644");
        host.writeFile("/etc/cni/net.d/10-testbed.conflist", resource("cni.conflist", values), "0644");
        host.writeFile("/etc/kubernetes/kubelet-config.yaml", resource("kubelet-config.yaml", values), "0644");
        host.writeFile("/etc/kubernetes/resolv.conf", "", "0644");
        host.writeFile("/etc/kubernetes/kubelet.kubeconfig", pki.kubeconfig(controlPlane.server(), clientCert), "0600");
        copy(pki.cert("ca"), "/etc/kubernetes/pki/ca.crt", "0644");
        copy(pki.cert(servingCert), "/etc/kubernetes/pki/kubelet-serving.crt", "0644");
        copy(pki.key(servingCert), "/etc/kubernetes/pki/kubelet-serving.key", "0600");
        host.writeFile("/etc/systemd/system/kubelet.service", resource("kubelet.service", values), "0644");
        host.writeFile(
                "/etc/systemd/system/kubelet-sysctls.service", resource("kubelet-sysctls.service", values), "0644");

        // No kube-proxy: the kubernetes Service address (what in-cluster clients use) is rewritten to the API
        // server here, for the node's own processes (hostNetwork pods: OUTPUT) and for pods (PREROUTING).
        String to = NodeNetwork.GATEWAY + ":" + controlPlane.apiPort();
        for (String chain : List.of("OUTPUT", "PREROUTING")) {
            host.execOk(
                    "iptables",
                    "-t",
                    "nat",
                    "-A",
                    chain,
                    "-d",
                    NodeNetwork.KUBERNETES_SERVICE_IP + "/32",
                    "-p",
                    "tcp",
                    "--dport",
                    "443",
                    "-j",
                    "DNAT",
                    "--to-destination",
                    to);
        }
        host.execOk("systemctl", "restart", "containerd.service");
    }

    private void importImages(List<Path> images) {
        images.forEach(this::importImage);
    }

    /**
     * Loads an image archive (OCI or docker archive) into this node's containerd, under the names it carries;
     * a missing or corrupt archive fails with what to do.
     */
    public void importImage(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new TestbedException("image archive " + image + " is missing: build the images first"
                    + " (./mvnw -DskipTests package -DbuildImages, or scripts/build-images)");
        }
        String inHost = "/var/tmp/images/" + image.getFileName();
        copy(image, inHost, "0644");
        ExecResult r = host.exec(IMPORT_TIMEOUT, "ctr", "-n", "k8s.io", "images", "import", inHost);
        try {
            Files.deleteIfExists(host.hostPath(inHost));
        } catch (IOException ignored) {
            // the node goes with the test
        }
        if (!r.ok()) {
            throw new TestbedException("containerd on " + host.name() + " refused the image archive " + image
                    + " (corrupt or not an OCI/docker archive? rebuild it): "
                    + r.stderr().strip());
        }
    }

    /** The images containerd on this node has (names). */
    public List<String> images() {
        return List.of(host.execOk("ctr", "-n", "k8s.io", "images", "list", "-q")
                .stdout()
                .strip()
                .split("\n"));
    }

    public SystemdHost host() {
        return host;
    }

    public String name() {
        return host.name();
    }

    public String address() {
        return address;
    }

    /** Stops the kubelet (the node goes NotReady after the node-monitor grace period); pods keep running. */
    public void stopKubelet() {
        host.execOk("systemctl", "stop", "kubelet.service");
    }

    public void startKubelet() {
        host.execOk("systemctl", "start", "kubelet.service");
    }

    /** The last lines of a unit's journal on this node, for failure messages. */
    public String journal(String unit, int lines) {
        try {
            ExecResult r = host.exec(
                    Duration.ofSeconds(20), "journalctl", "-u", unit, "--no-pager", "-n", Integer.toString(lines));
            return "--- journal of " + unit + " on " + host.name() + " ---\n" + r.stdout() + r.stderr();
        } catch (RuntimeException e) {
            return "(no journal of " + unit + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        host.close();
    }

    private void copy(Path from, String to, String octalMode) {
        Path target = host.hostPath(to);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".testbed-tmp");
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(
                    tmp,
                    java.nio.file.attribute.PosixFilePermissions.fromString(
                            io.confext.testbed.FileModes.toSymbolic(octalMode)));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to + " on " + host.name(), e);
        }
    }

    static String resource(String name, Map<String, String> values) {
        try (InputStream in = KubeletNode.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace("${" + v.getKey() + "}", v.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
