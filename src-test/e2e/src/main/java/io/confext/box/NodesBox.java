package io.confext.box;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.testbed.DemoService;
import io.confext.testbed.ExecResult;
import io.confext.testbed.TestbedException;
import io.confext.testbed.kube.KubeletNode;
import io.confext.testbed.kube.RealNodeCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The product as it ships, on real nodes: a {@link RealNodeCluster} (control plane + kubelet nodes that are booted
 * systemd 262 hosts), the built images loaded into every node's containerd, the demo service installed on every
 * host, and {@code helm install} of {@code helm/confext-operator} as it is. The operator then runs as a Deployment
 * pod and creates the agent DaemonSet, whose pods the real DaemonSet controller makes and the real scheduler
 * places; each agent reaches its host's systemd as PID 1 through hostPID and talks to the API server with its
 * pod's ServiceAccount token. Nothing on that path holds admin credentials: only this class (the "user") does.
 */
public final class NodesBox implements AutoCloseable {

    public static final String RELEASE = "confext-operator";
    public static final String NAMESPACE = BoxSettings.NAMESPACE;
    public static final String OPERATOR_DEPLOYMENT = RELEASE;
    public static final String AGENT_DAEMONSET = RELEASE + "-agent";
    /** A second tag of the agent image on every node, for tests of an agent upgrade (same content). */
    public static final String AGENT_UPGRADE_TAG_SUFFIX = "-upgrade";

    private final Path repoRoot;
    private final PrintStream out;
    private final RealNodeCluster cluster;
    private final KubernetesClient client;
    private final ImageArchives images;

    private NodesBox(
            Path repoRoot, PrintStream out, RealNodeCluster cluster, KubernetesClient client, ImageArchives images) {
        this.repoRoot = repoRoot;
        this.out = out;
        this.cluster = cluster;
        this.client = client;
        this.images = images;
    }

    /** Why this machine cannot run the real-nodes box, if it cannot: a capability, a cache or the images. */
    public static Optional<String> cannotRun(Path repoRoot) {
        return RealNodeCluster.missing().or(() -> ImageArchives.of(repoRoot).problem());
    }

    /** Starts the cluster, installs the chart and waits until every agent is Ready. */
    public static NodesBox start(Path repoRoot, int nodes, PrintStream out) {
        ImageArchives images = ImageArchives.of(repoRoot);
        cannotRun(repoRoot).ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        Instant t0 = Instant.now();
        say(
                out,
                "starting a real cluster: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and " + nodes
                        + " kubelet nodes (booted systemd hosts with containerd); loading "
                        + images.all().stream()
                                .map(p -> p.getFileName().toString())
                                .toList() + " into every node");
        RealNodeCluster cluster = RealNodeCluster.start(nodes, images.all(), ImageArchives.PAUSE_IMAGE);
        KubernetesClient client = null;
        try {
            for (KubeletNode n : cluster.nodes()) {
                n.host().writeFile(DemoService.DEFAULT_CONFIG, BoxSettings.HOST_OWN_CONFIG, "0644");
                DemoService.install(n.host(), BoxSettings.DEMO_UNIT);
                n.host()
                        .execOk(
                                "ctr",
                                "-n",
                                "k8s.io",
                                "images",
                                "tag",
                                images.agentImage(),
                                images.agentImage() + AGENT_UPGRADE_TAG_SUFFIX);
            }
            cluster.awaitNodesReady(Duration.ofMinutes(3));
            say(
                    out,
                    "nodes Ready after " + Duration.between(t0, Instant.now()).toSeconds() + " s: "
                            + cluster.nodes().stream().map(KubeletNode::name).toList() + "; API server "
                            + cluster.controlPlane().server());
            client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(read(cluster.adminKubeconfig())))
                    .build();
            NodesBox box = new NodesBox(repoRoot, out, cluster, client, images);
            Instant installed = Instant.now();
            box.helmInstall();
            box.awaitAgentsReady(Duration.ofMinutes(5));
            say(
                    out,
                    "helm install to every agent Ready: "
                            + Duration.between(installed, Instant.now()).toSeconds() + " s; box ready in "
                            + Duration.between(t0, Instant.now()).toSeconds() + " s");
            return box;
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            cluster.close();
            throw e;
        }
    }

    /** {@code helm install} of the chart as it is, into {@link #NAMESPACE}, with {@code --set k=v} values. */
    public void helmInstall(String... setValues) {
        InstallCommand install = new Helm(repoRoot.resolve("helm/confext-operator"))
                .install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .createNamespace()
                .withKubeConfigContents(read(cluster.adminKubeconfig()));
        for (String v : setValues) {
            install = install.set(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
        }
        install.call();
        say(
                out,
                "helm install " + RELEASE + " helm/confext-operator -n " + NAMESPACE + " --create-namespace"
                        + sets(setValues));
    }

    /** {@code helm upgrade} with {@code --set k=v} values (the others as installed). */
    public void helmUpgrade(String... setValues) {
        UpgradeCommand upgrade = new Helm(repoRoot.resolve("helm/confext-operator"))
                .upgrade()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeConfigContents(read(cluster.adminKubeconfig()));
        for (String v : setValues) {
            upgrade = upgrade.set(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
        }
        upgrade.call();
        say(out, "helm upgrade " + RELEASE + " helm/confext-operator -n " + NAMESPACE + sets(setValues));
    }

    public void helmUninstall() {
        Helm.uninstall(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeConfigContents(read(cluster.adminKubeconfig()))
                .call();
        say(out, "helm uninstall " + RELEASE + " -n " + NAMESPACE);
    }

    /**
     * Waits until the operator pod is Ready, the agent DaemonSet has a Ready pod on every node and every node's
     * ConfextNode says Ready (the agent reached its host's systemd and the API server).
     */
    public void awaitAgentsReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String state = "";
        while (Instant.now().isBefore(deadline)) {
            List<String> notReady = new ArrayList<>();
            for (KubeletNode n : cluster.nodes()) {
                ConfextNode cxn =
                        client.resources(ConfextNode.class).withName(n.name()).get();
                if (!Box.ready(cxn)) {
                    notReady.add(n.name() + ": ConfextNode not Ready");
                }
                Optional<Pod> agent = agentPod(n.name());
                if (agent.isEmpty() || !podReady(agent.get())) {
                    notReady.add(n.name() + ": agent pod "
                            + agent.map(NodesBox::describe).orElse("missing"));
                }
            }
            List<Pod> operators = operatorPods();
            if (operators.stream().noneMatch(NodesBox::podReady)) {
                notReady.add("operator pod "
                        + operators.stream().map(NodesBox::describe).toList());
            }
            if (notReady.isEmpty()) {
                return;
            }
            state = String.join("; ", notReady);
            Box.sleep(1000);
        }
        throw new IllegalStateException("agents not ready within " + timeout + ": " + state + "\n" + diagnostics());
    }

    /** The agent pod on {@code node}, if any (not one being deleted). */
    public Optional<Pod> agentPod(String node) {
        return client
                .pods()
                .inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/component", "agent")
                .list()
                .getItems()
                .stream()
                .filter(p -> node.equals(p.getSpec().getNodeName())
                        && p.getMetadata().getDeletionTimestamp() == null)
                .findFirst();
    }

    public List<Pod> operatorPods() {
        return client
                .pods()
                .inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/component", "operator")
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    static boolean podReady(Pod p) {
        return p.getStatus() != null
                && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String describe(Pod p) {
        String phase = p.getStatus() == null ? "?" : p.getStatus().getPhase();
        String waiting = p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                ? ""
                : p.getStatus().getContainerStatuses().stream()
                        .map(cs -> cs.getState() != null && cs.getState().getWaiting() != null
                                ? cs.getState().getWaiting().getReason() + " (" + cs.getRestartCount() + " restarts)"
                                : "restarts " + cs.getRestartCount())
                        .collect(Collectors.joining(","));
        return p.getMetadata().getName() + " " + phase + " " + waiting;
    }

    /** The pods, the last lines of every confext pod's log, and the events: what a person would look at first. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder();
        b.append(kubectl("get", "pods", "-A", "-o", "wide").stdout());
        for (Pod p : client.pods().inNamespace(NAMESPACE).list().getItems()) {
            b.append("\n--- log of ").append(p.getMetadata().getName()).append(" ---\n");
            b.append(kubectl("logs", "-n", NAMESPACE, p.getMetadata().getName(), "--tail=30")
                    .stdout());
            boolean restarted = p.getStatus() != null
                    && p.getStatus().getContainerStatuses() != null
                    && p.getStatus().getContainerStatuses().stream().anyMatch(cs -> cs.getRestartCount() > 0);
            if (restarted) {
                // a crash-looping container's own last words
                b.append("--- previous log of ")
                        .append(p.getMetadata().getName())
                        .append(" ---\n");
                b.append(kubectl("logs", "-n", NAMESPACE, p.getMetadata().getName(), "--previous", "--tail=30")
                        .stdout());
            }
        }
        b.append("\n--- events ---\n")
                .append(kubectl("get", "events", "-A", "--sort-by=.lastTimestamp")
                        .stdout());
        return b.toString();
    }

    /** kubectl with the admin kubeconfig (the user at the keyboard). */
    public ExecResult kubectl(String... args) {
        return cluster.controlPlane().kubectl(Duration.ofMinutes(2), args);
    }

    /** {@code kubectl apply -f} of a manifest, the way a user applies a bundle. */
    public void kubectlApply(String yaml) {
        Path file;
        try {
            file = Files.createTempFile("confext-apply-", ".yaml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ExecResult r = kubectl("apply", "-f", file.toString());
            if (!r.ok()) {
                throw new TestbedException(
                        "kubectl apply refused the manifest: " + r.stderr().strip());
            }
        } finally {
            file.toFile().delete();
        }
    }

    public KubernetesClient client() {
        return client;
    }

    public RealNodeCluster cluster() {
        return cluster;
    }

    public ImageArchives images() {
        return images;
    }

    public List<KubeletNode> nodes() {
        return cluster.nodes();
    }

    public Path kubeconfig() {
        return cluster.adminKubeconfig();
    }

    /** The agent image tag of the running agent pods, by node. */
    public Map<String, String> agentImages() {
        return client
                .pods()
                .inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/component", "agent")
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .collect(Collectors.toMap(
                        p -> p.getSpec().getNodeName(),
                        p -> p.getSpec().getContainers().get(0).getImage(),
                        (a, b) -> a + "," + b));
    }

    @Override
    public void close() {
        client.close();
        cluster.close();
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sets(String... values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            b.append(" --set ").append(v);
        }
        return b.toString();
    }

    private static void say(PrintStream out, String line) {
        out.println("[box] " + line);
    }
}
