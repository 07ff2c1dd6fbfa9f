package io.confext.testbed.kube;

import io.confext.testbed.ExecResult;
import io.confext.testbed.K8sBinaries;
import io.confext.testbed.Prerequisites;
import io.confext.testbed.TestbedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * A real Kubernetes cluster on this machine: a {@link ControlPlane} and {@code n} {@link KubeletNode}s (booted
 * systemd 262 hosts, each with containerd and a kubelet), with the given image archives loaded into every
 * node's containerd. One at a time per machine (the node bridge is fixed): a second cluster waits for the first.
 *
 * <pre>
 * try (RealNodeCluster cluster = RealNodeCluster.start(3, images, "registry.k8s.io/pause:3.10")) {
 *     cluster.awaitNodesReady(Duration.ofMinutes(2));
 *     ... helm install with cluster.adminKubeconfig() ...
 * }
 * </pre>
 */
public final class RealNodeCluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RealNodeCluster.class.getName());
    static final Path STATE = Path.of("/run/confext-testbed/kube");
    static final Path DATA = Path.of("/var/tmp/confext-testbed/kube");
    /** The node names; also the host names of the booted hosts. */
    public static final String NODE_PREFIX = "node";

    private final FileChannel lockFile;
    private final FileLock lock;
    private final NodeNetwork network;
    private final ControlPlane controlPlane;
    private final List<KubeletNode> nodes;
    private final Path dir;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Ends the control plane should the JVM exit without close() (the hosts have hooks of their own). */
    private final Thread shutdownHook = new Thread(this::close, "testbed-cluster-shutdown");

    private RealNodeCluster(
            FileChannel lockFile,
            FileLock lock,
            NodeNetwork network,
            ControlPlane controlPlane,
            List<KubeletNode> nodes,
            Path dir) {
        this.lockFile = lockFile;
        this.lock = lock;
        this.network = network;
        this.controlPlane = controlPlane;
        this.nodes = nodes;
        this.dir = dir;
    }

    /**
     * What this machine lacks for a real-node cluster, if anything: the reason to skip (a capability) or the
     * command that makes it (a cache).
     */
    public static Optional<String> missing() {
        Optional<String> capability = Prerequisites.missingCapability();
        if (capability.isPresent()) {
            return capability;
        }
        K8sBinaries k8s = K8sBinaries.find();
        if (!k8s.nodeBinariesAvailable()) {
            return Optional.of(k8s.nodeBinariesMessage());
        }
        if (!Files.isRegularFile(io.confext.testbed.HostImage.NODE.cachedTree().resolve("usr/bin/containerd"))) {
            return Optional.of("no cached node tree (forky with containerd): run scripts/prepare-test-hosts");
        }
        return Optional.empty();
    }

    public static RealNodeCluster start(int nodeCount, List<Path> images, String sandboxImage) {
        missing().ifPresent(m -> {
            throw new TestbedException("cannot start a real-node cluster: " + m);
        });
        K8sBinaries k8s = K8sBinaries.find();
        Path binaries = k8s.binDir();
        ControlPlane.mkdirs(STATE);
        FileChannel ch;
        FileLock lock;
        try {
            ch = FileChannel.open(STATE.resolve("cluster.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            LOG.info("waiting for the machine's test-cluster lock " + STATE.resolve("cluster.lock"));
            lock = ch.lock();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // what a killed run left: its control-plane processes (by recorded PID + start time), namespaces, data
        ChildProcesses.sweep(STATE);
        deleteTree(DATA);
        Path dir = DATA.resolve(
                HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        ControlPlane.mkdirs(dir);
        NodeNetwork network = null;
        ControlPlane cp = null;
        List<KubeletNode> nodes = new ArrayList<>();
        try {
            network = NodeNetwork.create();
            ChildProcesses children = new ChildProcesses(STATE);
            Instant t0 = Instant.now();
            cp = ControlPlane.start(binaries, dir, ClusterPki.create(dir.resolve("pki")), children);
            LOG.info("control plane ready in "
                    + Duration.between(t0, Instant.now()).toSeconds() + " s at " + cp.server());
            // nodes boot and load their images in parallel: most of it is waiting on disks and on systemd
            List<java.util.concurrent.Future<KubeletNode>> starting = new ArrayList<>();
            java.util.concurrent.ExecutorService pool =
                    java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, nodeCount));
            try {
                for (int i = 0; i < nodeCount; i++) {
                    Path ns = network.addNode(i);
                    int index = i;
                    ControlPlane plane = cp;
                    starting.add(pool.submit(() -> {
                        Instant t1 = Instant.now();
                        KubeletNode n = KubeletNode.start(
                                index,
                                NODE_PREFIX + (index + 1),
                                ns,
                                binaries.resolve("kubelet"),
                                plane,
                                images,
                                sandboxImage);
                        LOG.info(n.name() + " booted, images loaded, kubelet started in "
                                + Duration.between(t1, Instant.now()).toSeconds() + " s");
                        return n;
                    }));
                }
                RuntimeException failure = null;
                for (java.util.concurrent.Future<KubeletNode> f : starting) {
                    try {
                        nodes.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        failure = failure != null
                                ? failure
                                : e.getCause() instanceof RuntimeException r
                                        ? r
                                        : new TestbedException("cannot start a node: " + e.getCause(), e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new TestbedException("interrupted while starting nodes", e);
                    }
                }
                if (failure != null) {
                    throw failure;
                }
            } finally {
                pool.shutdown();
            }
            RealNodeCluster cluster = new RealNodeCluster(ch, lock, network, cp, nodes, dir);
            Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            return cluster;
        } catch (RuntimeException e) {
            nodes.forEach(KubeletNode::close);
            if (cp != null) {
                cp.close();
            }
            if (network != null) {
                network.close();
            }
            try {
                lock.release();
                ch.close();
            } catch (IOException ignored) {
                // the lock goes with the file descriptor
            }
            throw e;
        }
    }

    /** Waits until every node reports Ready, with each NotReady node's kubelet journal on timeout. */
    public void awaitNodesReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            ExecResult r = controlPlane.kubectl(
                    Duration.ofSeconds(20),
                    "get",
                    "nodes",
                    "-o",
                    "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}");
            last = r.stdout().strip();
            long ready = last.lines().filter(l -> l.endsWith("=True")).count();
            if (r.ok() && ready == nodes.size()) {
                return;
            }
            ControlPlane.sleep(1000);
        }
        StringBuilder why =
                new StringBuilder("nodes not Ready within " + timeout + ": " + last.replace('\n', ' ') + "\n");
        for (KubeletNode n : nodes) {
            why.append(n.journal("kubelet.service", 25)).append('\n');
        }
        throw new TestbedException(why.toString());
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    public Path adminKubeconfig() {
        return controlPlane.adminKubeconfig();
    }

    public List<KubeletNode> nodes() {
        return List.copyOf(nodes);
    }

    public KubeletNode node(String name) {
        return nodes.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    /** Where the control plane's logs are, for failure messages. */
    public Path logs() {
        return controlPlane.logs();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
        for (KubeletNode n : nodes) {
            try {
                n.close();
            } catch (RuntimeException e) {
                LOG.warning("teardown of " + n.name() + " failed: " + e.getMessage());
            }
        }
        controlPlane.close();
        network.close();
        deleteTree(dir);
        try {
            lock.release();
            lockFile.close();
        } catch (IOException ignored) {
            // released with the descriptor anyway
        }
    }

    private static void deleteTree(Path dir) {
        if (Files.exists(dir)) {
            io.confext.testbed.ProcessRunner.run(
                    List.of("rm", "-rf", "--one-file-system", dir.toString()), Duration.ofMinutes(2));
        }
    }
}
