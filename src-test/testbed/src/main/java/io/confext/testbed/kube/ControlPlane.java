package io.confext.testbed.kube;

import io.confext.testbed.ExecResult;
import io.confext.testbed.ProcessRunner;
import io.confext.testbed.TestbedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole Kubernetes control plane on this machine, from the binaries {@code scripts/build-k8s-binaries} built:
 * etcd on loopback, kube-apiserver on the node bridge ({@link NodeNetwork#GATEWAY}) with the Node and RBAC
 * authorizers and NodeRestriction, kube-controller-manager (DaemonSet and Deployment controllers, garbage
 * collector, node lifecycle, ServiceAccount tokens: each controller with its own credentials) and
 * kube-scheduler. Every process is a child of this JVM, recorded in {@link ChildProcesses} so that a later run
 * ends what a killed one left.
 */
public final class ControlPlane implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Path dir;
    private final ClusterPki pki;
    private final ChildProcesses children;
    private final int apiPort;
    private final Path kubectl;

    private ControlPlane(Path dir, ClusterPki pki, ChildProcesses children, int apiPort, Path kubectl) {
        this.dir = dir;
        this.pki = pki;
        this.children = children;
        this.apiPort = apiPort;
        this.kubectl = kubectl;
    }

    /**
     * Starts etcd, the API server, the controller-manager and the scheduler, and waits until the API server is
     * ready and the default ServiceAccount machinery works.
     *
     * @param binaries directory holding kube-apiserver, etcd, kubectl, kube-controller-manager, kube-scheduler
     * @param dir      a fresh directory for certificates, etcd's data and logs
     */
    public static ControlPlane start(Path binaries, Path dir, ClusterPki pki, ChildProcesses children) {
        int etcdPort = freePort(InetAddress.getLoopbackAddress());
        int etcdPeerPort = freePort(InetAddress.getLoopbackAddress());
        int apiPort;
        try {
            apiPort = freePort(InetAddress.getByName(NodeNetwork.GATEWAY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pki.issue(
                "apiserver",
                "/CN=kube-apiserver",
                List.of(
                        "IP:" + NodeNetwork.GATEWAY,
                        "IP:" + NodeNetwork.KUBERNETES_SERVICE_IP,
                        "IP:127.0.0.1",
                        "DNS:kubernetes",
                        "DNS:kubernetes.default",
                        "DNS:kubernetes.default.svc",
                        "DNS:kubernetes.default.svc.cluster.local"));
        pki.issue("apiserver-kubelet-client", "/O=system:masters/CN=kube-apiserver-kubelet-client", List.of());
        pki.issue("admin", "/O=system:masters/CN=confext-testbed-admin", List.of());
        pki.issue("controller-manager", "/CN=system:kube-controller-manager", List.of());
        pki.issue("scheduler", "/CN=system:kube-scheduler", List.of());
        String server = "https://" + NodeNetwork.GATEWAY + ":" + apiPort;
        write(dir.resolve("admin.kubeconfig"), pki.kubeconfig(server, "admin"));
        write(dir.resolve("controller-manager.kubeconfig"), pki.kubeconfig(server, "controller-manager"));
        write(dir.resolve("scheduler.kubeconfig"), pki.kubeconfig(server, "scheduler"));
        Path logs = dir.resolve("logs");
        mkdirs(logs);

        ControlPlane cp = new ControlPlane(dir, pki, children, apiPort, binaries.resolve("kubectl"));
        children.start(
                "etcd",
                List.of(
                        binaries.resolve("etcd").toString(),
                        "--name=testbed",
                        "--data-dir=" + dir.resolve("etcd"),
                        "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                        "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                        "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
                        "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
                        "--initial-cluster=testbed=http://127.0.0.1:" + etcdPeerPort,
                        // a test cluster lives minutes: durability costs time and buys nothing
                        "--unsafe-no-fsync=true",
                        "--log-level=warn"),
                logs.resolve("etcd.log"));
        children.start(
                "kube-apiserver",
                List.of(
                        binaries.resolve("kube-apiserver").toString(),
                        "--etcd-servers=http://127.0.0.1:" + etcdPort,
                        "--bind-address=" + NodeNetwork.GATEWAY,
                        "--advertise-address=" + NodeNetwork.GATEWAY,
                        "--secure-port=" + apiPort,
                        "--tls-cert-file=" + pki.cert("apiserver"),
                        "--tls-private-key-file=" + pki.key("apiserver"),
                        "--client-ca-file=" + pki.cert("ca"),
                        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                        "--service-account-key-file=" + pki.serviceAccountPublicKey(),
                        "--service-account-signing-key-file=" + pki.serviceAccountKey(),
                        "--service-cluster-ip-range=" + NodeNetwork.SERVICE_RANGE,
                        "--authorization-mode=Node,RBAC",
                        "--enable-admission-plugins=NodeRestriction",
                        "--allow-privileged=true",
                        "--kubelet-client-certificate=" + pki.cert("apiserver-kubelet-client"),
                        "--kubelet-client-key=" + pki.key("apiserver-kubelet-client"),
                        "--kubelet-certificate-authority=" + pki.cert("ca"),
                        // node names would otherwise be resolved through DNS, a query that leaves the machine
                        "--kubelet-preferred-address-types=InternalIP",
                        "--cert-dir=" + dir.resolve("apiserver-certs"),
                        "--profiling=false"),
                logs.resolve("kube-apiserver.log"));
        cp.awaitApiReady();
        children.start(
                "kube-controller-manager",
                List.of(
                        binaries.resolve("kube-controller-manager").toString(),
                        "--kubeconfig=" + dir.resolve("controller-manager.kubeconfig"),
                        "--authentication-kubeconfig=" + dir.resolve("controller-manager.kubeconfig"),
                        "--authorization-kubeconfig=" + dir.resolve("controller-manager.kubeconfig"),
                        "--use-service-account-credentials=true",
                        "--service-account-private-key-file=" + pki.serviceAccountKey(),
                        "--root-ca-file=" + pki.cert("ca"),
                        "--cluster-signing-cert-file=" + pki.cert("ca"),
                        "--cluster-signing-key-file=" + pki.key("ca"),
                        "--leader-elect=false",
                        "--bind-address=127.0.0.1",
                        // a node whose kubelet stopped is NotReady after 20 s rather than 50 s: tests wait less
                        "--node-monitor-grace-period=20s",
                        "--secure-port=" + freePort(InetAddress.getLoopbackAddress()),
                        "--profiling=false"),
                logs.resolve("kube-controller-manager.log"));
        children.start(
                "kube-scheduler",
                List.of(
                        binaries.resolve("kube-scheduler").toString(),
                        "--kubeconfig=" + dir.resolve("scheduler.kubeconfig"),
                        "--authentication-kubeconfig=" + dir.resolve("scheduler.kubeconfig"),
                        "--authorization-kubeconfig=" + dir.resolve("scheduler.kubeconfig"),
                        "--leader-elect=false",
                        "--bind-address=127.0.0.1",
                        "--secure-port=" + freePort(InetAddress.getLoopbackAddress()),
                        "--profiling=false"),
                logs.resolve("kube-scheduler.log"));
        cp.awaitDefaultServiceAccount();
        return cp;
    }

    /** {@code https://<bridge address>:<port>}, as nodes and this machine reach the API server. */
    public String server() {
        return "https://" + NodeNetwork.GATEWAY + ":" + apiPort;
    }

    public int apiPort() {
        return apiPort;
    }

    public Path adminKubeconfig() {
        return dir.resolve("admin.kubeconfig");
    }

    public ClusterPki pki() {
        return pki;
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    /** Runs kubectl with the admin credentials. */
    public ExecResult kubectl(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + adminKubeconfig()));
        argv.addAll(List.of(args));
        return ProcessRunner.run(argv, timeout);
    }

    public ExecResult kubectlOk(String... args) {
        ExecResult r = kubectl(Duration.ofMinutes(2), args);
        if (!r.ok()) {
            throw new TestbedException(r.describe(List.of(args)));
        }
        return r;
    }

    private void awaitApiReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        ExecResult last = null;
        while (Instant.now().isBefore(deadline)) {
            children.requireAlive("etcd", logs().resolve("etcd.log"));
            children.requireAlive("kube-apiserver", logs().resolve("kube-apiserver.log"));
            last = kubectl(Duration.ofSeconds(10), "get", "--raw", "/readyz");
            if (last.ok() && last.stdout().strip().equals("ok")) {
                return;
            }
            sleep(500);
        }
        throw new TestbedException("kube-apiserver did not become ready within " + READY_TIMEOUT + ": "
                + (last == null ? "" : last.stdout() + last.stderr()) + "\n"
                + ChildProcesses.tail(logs().resolve("kube-apiserver.log"), 30));
    }

    /** The controller-manager is working once it made the {@code default} namespace's ServiceAccount. */
    private void awaitDefaultServiceAccount() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            children.requireAlive("kube-controller-manager", logs().resolve("kube-controller-manager.log"));
            children.requireAlive("kube-scheduler", logs().resolve("kube-scheduler.log"));
            if (kubectl(Duration.ofSeconds(10), "get", "serviceaccount", "default", "-n", "default")
                    .ok()) {
                return;
            }
            sleep(500);
        }
        throw new TestbedException("kube-controller-manager made no default ServiceAccount within " + READY_TIMEOUT
                + "\n" + ChildProcesses.tail(logs().resolve("kube-controller-manager.log"), 30));
    }

    @Override
    public void close() {
        // the API server may take a minute to drain its watches: end it by PID, with a short grace
        children.stopAll(Duration.ofSeconds(5));
    }

    static int freePort(InetAddress address) {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + address, e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted", e);
        }
    }
}
