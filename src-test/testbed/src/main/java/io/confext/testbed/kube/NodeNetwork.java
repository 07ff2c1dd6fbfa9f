package io.confext.testbed.kube;

import io.confext.testbed.ExecResult;
import io.confext.testbed.ProcessRunner;
import io.confext.testbed.TestbedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * The test cluster's network, all of it made here and gone on {@link #close()}: a bridge on this machine
 * ({@value #BRIDGE}, {@value #GATEWAY}/24, where the API server listens) and per node a network namespace joined
 * to it by a veth pair, the node at {@code 10.213.0.(10+i)}.
 *
 * <p>Nothing leaves the machine: nodes get no default route (only the bridge's /24), and the Service range is
 * routed to each node's loopback, so the one Service address anyone uses, the {@code kubernetes}
 * Service, works only through the node's DNAT rule to the API server (there is no kube-proxy) and every other
 * Service address goes nowhere. This machine does not forward packets between interfaces.
 */
public final class NodeNetwork implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NodeNetwork.class.getName());
    static final String BRIDGE = "cxkbr0";
    public static final String GATEWAY = "10.213.0.1";
    static final String NETNS_PREFIX = "cxk-";
    /** Where the {@code kubernetes} Service lives (kube-apiserver --service-cluster-ip-range). */
    public static final String SERVICE_RANGE = "10.215.0.0/24";

    public static final String KUBERNETES_SERVICE_IP = "10.215.0.1";
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

    private NodeNetwork() {
        // one bridge per machine: a second cluster at the same time would share it (ClusterLock prevents it)
    }

    /** Makes the bridge, first removing what a killed earlier run left (its namespaces and the bridge). */
    public static NodeNetwork create() {
        sweep();
        ip("link", "add", BRIDGE, "type", "bridge");
        ip("addr", "add", GATEWAY + "/24", "dev", BRIDGE);
        ip("link", "set", BRIDGE, "up");
        return new NodeNetwork();
    }

    /** The address of node {@code index} (0-based). */
    public static String nodeAddress(int index) {
        return "10.213.0." + (10 + index);
    }

    /** The pod range of node {@code index}, for its CNI configuration. */
    public static String podRange(int index) {
        return "10.214." + index + ".0/24";
    }

    /** A namespace for node {@code index}, wired to the bridge; returns its path for nspawn. */
    public Path addNode(int index) {
        String ns = NETNS_PREFIX + index;
        String outer = "cxkv" + index;
        ip("netns", "add", ns);
        ip("link", "add", outer, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip("link", "set", outer, "master", BRIDGE, "up");
        ip("-n", ns, "link", "set", "lo", "up");
        ip("-n", ns, "addr", "add", nodeAddress(index) + "/24", "dev", "eth0");
        ip("-n", ns, "link", "set", "eth0", "up");
        // a route for the Service range, so that connect() gets as far as the DNAT rule; what is not rewritten
        // loops back and is dropped (this kernel has no dummy interfaces)
        ip("-n", ns, "route", "add", SERVICE_RANGE, "dev", "lo");
        return Path.of("/run/netns", ns);
    }

    @Override
    public void close() {
        sweep();
    }

    private static void sweep() {
        ExecResult list = ProcessRunner.run(List.of("ip", "netns", "list"), IP_TIMEOUT);
        for (String line : list.stdout().split("\n")) {
            String ns = line.split("\\s+")[0];
            if (ns.startsWith(NETNS_PREFIX)) {
                LOG.fine(() -> "removing network namespace " + ns);
                ProcessRunner.run(List.of("ip", "netns", "del", ns), IP_TIMEOUT);
            }
        }
        for (int i = 0; i < 16; i++) {
            ProcessRunner.run(List.of("ip", "link", "del", "cxkv" + i), IP_TIMEOUT);
        }
        ProcessRunner.run(List.of("ip", "link", "del", BRIDGE), IP_TIMEOUT);
    }

    private static void ip(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("ip"));
        argv.addAll(List.of(args));
        ExecResult r = ProcessRunner.run(argv, IP_TIMEOUT);
        if (!r.ok()) {
            throw new TestbedException("cannot set up the test cluster's network: " + r.describe(argv));
        }
    }
}
