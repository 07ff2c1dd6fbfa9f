package io.confext.box;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.testbed.DemoService;
import io.confext.testbed.HostImage;
import io.confext.testbed.K8sBinaries;
import io.confext.testbed.SystemdHost;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The cluster in a box: an API server, real systemd hosts with the demo service, a Node per host, the operator
 * and one agent per host as child JVMs. {@link #close()} tears everything down in reverse order; it is safe to
 * call twice and from a shutdown hook.
 */
public final class Box implements AutoCloseable {

    static final String FIELD_MANAGER = "confext-box";

    private final BoxSettings settings;
    private final List<AutoCloseable> teardown = Collections.synchronizedList(new ArrayList<>());
    private ApiServer api;
    private ChildJvm operator;
    private Path operatorJar;
    private Path agentJar;
    private final List<BoxHost> hosts = new ArrayList<>();
    private volatile boolean closed;
    private final Leftovers leftovers;
    private Watchdog watchdog;

    private Box(BoxSettings settings) {
        this.settings = settings;
        this.leftovers = new Leftovers(settings.workDir());
    }

    /** Starts everything; on any failure tears down what was started and rethrows. */
    public static Box start(BoxSettings settings) {
        Box box = new Box(settings);
        try {
            box.startAll();
            return box;
        } catch (RuntimeException | Error e) {
            box.close();
            throw e;
        }
    }

    private void startAll() {
        Instant t0 = Instant.now();
        // an earlier box on this work directory that died along with its watchdog (e.g. the machine rebooted)
        Leftovers.Swept stray = leftovers.claim();
        if (!stray.nothing()) {
            say("ended what an earlier box that was killed left behind: " + stray);
        }
        clearOldLogs();
        watchdog = Watchdog.start(settings.workDir(), settings.workDir().resolve("logs/watchdog.log"));
        say("watchdog (pid " + watchdog.pid() + ") ends every child of this box should this JVM be killed");
        K8sBinaries binaries = K8sBinaries.find();
        boolean real = settings.apiServer().startsReal(binaries.available());
        if (real && !binaries.available()) {
            throw new IllegalStateException("--api-server=real: " + binaries.unavailableMessage());
        }
        say(
                real
                        ? "starting the real kube-apiserver "
                                + binaries.version().orElseThrow() + " + etcd"
                        : settings.apiServer() == ApiServerMode.MOCK
                                ? "--api-server=mock: starting fabric8's mock API server"
                                : "no kube-apiserver binaries under "
                                        + binaries.dir().resolve("k8s")
                                        + ": starting fabric8's mock API server instead");
        api = real ? RealApiServer.start(binaries) : MockApiServer.start();
        teardown.add(api);
        api.leftovers().forEach(leftovers::record);
        say("API server: " + api.description());
        writeKubeconfig();
        installCrds();
        if (client().namespaces().withName(BoxSettings.NAMESPACE).get() == null) {
            client().namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(BoxSettings.NAMESPACE)
                            .endMetadata()
                            .build())
                    .create();
        }

        operatorJar = AppSnapshot.of(settings.operatorJar(), settings.workDir().resolve("apps/operator"));
        agentJar = AppSnapshot.of(settings.agentJar(), settings.workDir().resolve("apps/agent"));
        bootHosts();
        ImagePolicy.forThisKernel()
                .ifPresent(p -> say("this kernel has no device-mapper: the agents mount image bundles with"
                        + " the image policy " + p + " (their own hash-tree and signature checks only)"));
        say("starting the operator (" + settings.operatorJar() + ")");
        operator = new ChildJvm(
                "operator",
                operatorJar,
                operatorEnv(),
                settings.workDir().resolve("logs/operator.log"),
                pid -> recordProcess(pid, "operator"));
        teardown.add(operator);
        operator.start();
        for (BoxHost h : hosts) {
            say("starting the agent of " + h.name() + " (host pid " + h.host().leaderPid() + ")");
            h.agent().start();
        }
        awaitAgentsReady(Duration.ofMinutes(5)); // generous: CI shares 2 cores with builds
        say("box ready in " + Duration.between(t0, Instant.now()).toSeconds() + " s");
    }

    private void recordProcess(long pid, String what) {
        ProcessStamp.of(pid, what).ifPresent(leftovers::record);
    }

    private void bootHosts() {
        say("booting " + settings.hostNames().size() + " systemd hosts ("
                + settings.hostNames().stream()
                        .map(settings::hostImage)
                        .map(HostImage::codename)
                        .distinct()
                        .collect(java.util.stream.Collectors.joining(", "))
                + ") and installing " + BoxSettings.DEMO_UNIT + " in each");
        ExecutorService pool = Executors.newFixedThreadPool(settings.hostNames().size());
        try {
            Map<String, Future<SystemdHost>> booting = new LinkedHashMap<>();
            for (String name : settings.hostNames()) {
                booting.put(name, pool.submit(() -> bootOne(name, settings.hostImage(name))));
            }
            RuntimeException failure = null;
            for (var e : booting.entrySet()) {
                try {
                    SystemdHost h = e.getValue().get(5, TimeUnit.MINUTES);
                    teardown.add(h);
                    leftovers.record(new Leftover.Cgroup(h.cgroupDir()));
                    String agentName = "agent-" + e.getKey();
                    // through the production launcher, so every end-to-end run also runs the agent's JVM flags
                    ChildJvm agent = new ChildJvm(
                            agentName,
                            agentJar,
                            agentEnv(e.getKey(), h.leaderPid()),
                            settings.workDir().resolve("logs/" + agentName + ".log"),
                            pid -> recordProcess(pid, agentName),
                            settings.agentLauncher());
                    teardown.add(agent);
                    hosts.add(new BoxHost(e.getKey(), h, agent));
                    registerNode(e.getKey());
                    say("host " + e.getKey() + ": " + h.machineName() + ", systemd " + h.systemdVersion()
                            + ", leader pid " + h.leaderPid());
                } catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
                    Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
                    failure = failure != null
                            ? failure
                            : new IllegalStateException(
                                    "cannot boot host " + e.getKey() + ": " + cause.getMessage(), cause);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while booting hosts", ex);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdown();
        }
    }

    private static SystemdHost bootOne(String name, HostImage image) {
        SystemdHost h = SystemdHost.boot(image, name);
        try {
            h.writeFile(DemoService.DEFAULT_CONFIG, BoxSettings.HOST_OWN_CONFIG, "0644");
            DemoService.install(h, BoxSettings.DEMO_UNIT);
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private void registerNode(String name) {
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("node-role.kubernetes.io/worker", "")
                .endMetadata()
                .build();
        client().nodes().resource(node).createOr(existing -> existing.update());
    }

    private void installCrds() {
        for (Path file : settings.crdFiles()) {
            CustomResourceDefinition crd;
            try (InputStream in = Files.newInputStream(file)) {
                crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (api.realApiServer()) {
                client().resource(crd)
                        .fieldManager(FIELD_MANAGER)
                        .forceConflicts()
                        .serverSideApply();
                client().apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd.getMetadata().getName())
                        .waitUntilCondition(Box::established, 60, TimeUnit.SECONDS);
            } else {
                client().resource(crd).createOr(existing -> existing.update());
            }
        }
        say("CRDs installed: "
                + settings.crdFiles().stream()
                        .map(p -> p.getFileName().toString())
                        .toList());
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Each run starts its child logs afresh (ChildJvm appends, so restarts within a run stay in one file). */
    private void clearOldLogs() {
        Path logs = settings.workDir().resolve("logs");
        try (var files = Files.list(logs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (java.nio.file.NoSuchFileException none) {
            // first run
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + logs, e);
        }
    }

    private void writeKubeconfig() {
        try {
            Files.createDirectories(settings.workDir());
            Path tmp = settings.kubeconfig().resolveSibling("kubeconfig.tmp");
            Files.writeString(tmp, api.kubeconfigYaml());
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(
                    tmp,
                    settings.kubeconfig(),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + settings.kubeconfig(), e);
        }
    }

    private Map<String, String> commonEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KUBECONFIG", settings.kubeconfig().toString());
        env.put("QUARKUS_HTTP_PORT", "0"); // four Quarkus apps on one machine: no fixed port
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        return env;
    }

    private Map<String, String> operatorEnv() {
        Map<String, String> env = commonEnv();
        env.put("CONFEXT_OPERATOR_NAMESPACE", BoxSettings.NAMESPACE);
        // no DaemonSet (the box runs the agents itself), no Lease: one operator, restarted at will by the tests
        env.put("CONFEXT_AGENT_MANAGED", "false");
        env.put("CONFEXT_OPERATOR_LEADER_ELECTION_ENABLED", "false");
        env.put("CONFEXT_OPERATOR_DELETION_TIMEOUT", "PT2M");
        if (!api.realApiServer()) {
            // QOSDK elects a leader in the prod profile whatever confext.operator.leader-election says, and its
            // permission check (SelfSubjectRulesReview) is refused by the mock server: run outside prod there.
            env.put("QUARKUS_PROFILE", "box");
            // the mock server has no server-side apply: the operator writes its status and ConfextNode entries with
            // merge patches instead (quarkus.operator-sdk.enable-ssa is fixed at build time, this switch is not)
            env.put("CONFEXT_OPERATOR_SERVER_SIDE_APPLY", "false");
        }
        return env;
    }

    private Map<String, String> agentEnv(String node, long hostPid) {
        Map<String, String> env = commonEnv();
        env.put("NODE_NAME", node);
        env.put("CONFEXT_AGENT_HOST_PID", Long.toString(hostPid));
        ImagePolicy.forThisKernel().ifPresent(p -> env.put("CONFEXT_IMAGES_POLICY", p));
        env.putAll(settings.agentEnv());
        return env;
    }

    /** Waits until every host's ConfextNode says Ready (agent up, API and host systemd reachable). */
    public void awaitAgentsReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            List<String> notReady = new ArrayList<>();
            for (BoxHost h : hosts) {
                ConfextNode cxn =
                        client().resources(ConfextNode.class).withName(h.name()).get();
                if (!ready(cxn)) {
                    notReady.add(h.name());
                }
                if (!h.agent().isAlive()) {
                    throw new IllegalStateException("the agent of " + h.name() + " exited; its log "
                            + h.agent().log() + " ends with:\n" + h.agent().logTail(40));
                }
            }
            if (!operator.isAlive()) {
                throw new IllegalStateException(
                        "the operator exited; its log " + operator.log() + " ends with:\n" + operator.logTail(40));
            }
            if (notReady.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                StringBuilder b = new StringBuilder("agents not ready within " + timeout + ": " + notReady);
                hosts.stream()
                        .filter(h -> notReady.contains(h.name()))
                        .forEach(h -> b.append("\n--- ")
                                .append(h.agent().log())
                                .append(" ---\n")
                                .append(h.agent().logTail(30)));
                b.append("\n--- ").append(operator.log()).append(" ---\n").append(operator.logTail(30));
                throw new IllegalStateException(b.toString());
            }
            sleep(500);
        }
    }

    static boolean ready(ConfextNode cxn) {
        return cxn != null
                && cxn.getStatus() != null
                && cxn.getStatus().getConditions() != null
                && cxn.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Creates or updates a bundle (server-side apply on the real API server, create-or-replace on the mock). */
    public ConfextBundle apply(ConfextBundle bundle) {
        bundle.setStatus(null);
        if (api.realApiServer()) {
            return client().resource(bundle)
                    .fieldManager(FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply();
        }
        ConfextBundle existing = client().resources(ConfextBundle.class)
                .withName(bundle.getMetadata().getName())
                .get();
        if (existing == null) {
            return client().resource(bundle).create();
        }
        return client().resources(ConfextBundle.class)
                .withName(bundle.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("spec", bundle.getSpec())));
    }

    /** Restarts the operator: SIGTERM (or SIGKILL when {@code hard}), then a fresh JVM. */
    public void restartOperator(boolean hard) {
        if (hard) {
            operator.kill();
        } else {
            operator.stop();
        }
        operator.start();
    }

    public KubernetesClient client() {
        return api.client();
    }

    public ApiServer api() {
        return api;
    }

    public List<BoxHost> hosts() {
        return List.copyOf(hosts);
    }

    public BoxHost host(String name) {
        return hosts.stream()
                .filter(h -> h.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name + " in " + settings.hostNames()));
    }

    public ChildJvm operator() {
        return operator;
    }

    public BoxSettings settings() {
        return settings;
    }

    private void say(String line) {
        settings.out().println("[box] " + line);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Agents and operator first (so nothing acts on a half-gone host), then hosts, then the API server. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> order = new ArrayList<>();
        hosts.forEach(h -> order.add(h.agent()));
        if (operator != null) {
            order.add(operator);
        }
        synchronized (teardown) {
            for (int i = teardown.size() - 1; i >= 0; i--) {
                if (!order.contains(teardown.get(i))) {
                    order.add(teardown.get(i));
                }
            }
        }
        boolean clean = true;
        for (AutoCloseable c : order) {
            try {
                c.close();
            } catch (Exception e) {
                clean = false;
                settings.out().println("[box] cleanup of " + c + " failed: " + e.getMessage());
            }
        }
        if (watchdog == null) {
            return;
        }
        if (clean) {
            leftovers.forget();
            watchdog.disarm();
        } else {
            settings.out()
                    .println("[box] the watchdog sweeps what is left (see "
                            + settings.workDir().resolve("logs/watchdog.log") + ")");
            watchdog.fire();
        }
    }
}
