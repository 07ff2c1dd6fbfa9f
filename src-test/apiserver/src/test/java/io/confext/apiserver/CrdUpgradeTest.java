package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.operator.OperatorAssembly;
import io.confext.operator.OperatorRuntime;
import io.confext.operator.OperatorSettings;
import io.confext.operator.bundle.BundleReconciler;
import io.confext.operator.node.NodeReconciler;
import io.confext.testbed.K8sBinaries;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.SimulatedAgent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented CRD upgrade (docs/helm.md "Upgrades"), run as a user runs it: the chart of the commit before the
 * working tree's CRDs is installed with its CRDs (owned by Helm, as {@code helm install} leaves them), a bundle rolls
 * out, and while its next version is in flight the release is upgraded to the working tree's chart and the CRDs are
 * applied with the documented kubectl command. Helm alone leaves the old CRDs (its rule for {@code crds/}); the
 * command brings the working tree's schema without a conflict; the bundle keeps its spec and status, the rollout
 * completes, and every accepted input of the working tree is accepted after the upgrade.
 */
@RealApiServerTest
class CrdUpgradeTest {

    private static final String NS = "crdup-test";
    private static final String RELEASE = "crdup-confext-operator";
    private static final String BUNDLE = "crdup-chrony";
    private static final Map<String, String> WORKER = Map.of("confext.io/test-pool", "crdup");
    private static final List<String> NODES = List.of("crdup-node-0", "crdup-node-1", "crdup-node-2");
    /** The command docs/helm.md gives, with the working tree's chart for {@code helm/confext-operator}. */
    static final String DOCUMENTED = "kubectl apply --server-side --force-conflicts -f helm/confext-operator/crds/";

    private final List<SimulatedAgent> agents = new ArrayList<>();
    private KubernetesClient operatorClient;
    private Operator operator;
    private String installedInto;
    private ApiServer server;

    /**
     * The release goes again: its admission policy and bindings are cluster-wide, and would judge the next class's
     * operator (another release's ServiceAccount) as an ordinary requester.
     */
    @AfterEach
    void stop() {
        if (operator != null) {
            operator.stop();
        }
        agents.forEach(SimulatedAgent::close);
        if (operatorClient != null) {
            operatorClient.close();
        }
        if (installedInto != null) {
            Helm.uninstall(RELEASE)
                    .withNamespace(NS)
                    .withKubeConfigContents(installedInto)
                    .call();
            awaitPolicyGone();
        }
    }

    /**
     * The API server's admission plugin learns of deleted policies through its own informers: for a moment after the
     * uninstall a binding of this release still judges requests (seen: the next class's first bundle refused with "no
     * params found" for this release's binding). Waits until a bundle is admitted without this release's policy.
     */
    private void awaitPolicyGone() {
        ConfextBundle probe = BundleBuilder.bundle("crdup-admission-probe", "1")
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server ntp1 iburst\n")
                .build();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                server.admin().resource(probe).dryRun().create();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                boolean ours = e.getMessage() != null && e.getMessage().contains(RELEASE);
                if (!ours) {
                    return; // refused by something else (another release's rule): not this class's leftover
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the uninstalled release's admission policy still judges requests", e);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void previousChartThenUpgradeWithTheDocumentedCrdStepWhileABundleRollsOut(ApiServer server, @TempDir Path tmp)
            throws Exception {
        this.server = server;
        RepoFiles repo = RepoFiles.fromBuild();
        Optional<PreviousChart> found = PreviousChart.export(repo.root(), tmp);
        if (found.isEmpty()) {
            System.out.println("CrdUpgradeTest skipped: " + repo.root()
                    + " has no git history with earlier CRDs (a source archive?)");
        }
        assumeTrue(found.isPresent(), "no git history with earlier CRDs");
        PreviousChart previous = found.get();
        System.out.println("CrdUpgradeTest: upgrading from the chart of " + previous.commit());
        KubernetesClient admin = server.admin();

        // helm install of the previous chart creates its CRDs (owned by Helm, written, not applied)
        removeConfextCrds(admin);
        new Helm(previous.chart())
                .install()
                .withName(RELEASE)
                .withNamespace(NS)
                .createNamespace()
                .withKubeConfigContents(server.kubeConfigYaml())
                .call();
        installedInto = server.kubeConfigYaml();
        assertThat(unserved(admin, previous.crds()))
                .as("the previous CRDs are served")
                .isEmpty();
        assertThat(unserved(admin, repo.crds()))
                .as("the working tree changes a CRD")
                .isNotEmpty();

        for (String name : NODES) {
            var node = admin.resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withLabels(WORKER)
                            .endMetadata()
                            .build())
                    .create();
            agents.add(SimulatedAgent.startOwning(
                    server.withToken(Tokens.boundToNode(admin, NS, RELEASE + "-agent", node)),
                    name,
                    SimulatedAgent.Behaviour.healthy(1500)));
        }
        operatorClient = server.withToken(Tokens.unbound(admin, NS, RELEASE));
        operator = OperatorAssembly.create(
                operatorClient,
                Metrics.NOOP,
                new OperatorRuntime(true, Optional.empty()),
                List.of(
                        new BundleReconciler(
                                new OperatorSettings(NS, Duration.ofSeconds(30), "default"),
                                Clock.systemUTC(),
                                new SimpleMeterRegistry()),
                        new NodeReconciler()));
        operator.start();
        BundleFleet fleet = new BundleFleet(BUNDLE, NODES, Duration.ofSeconds(90), agents, () -> operatorClient);

        admin.resource(bundle("1.0")).create();
        fleet.await("1.0 on all nodes under the previous CRDs", () -> fleet.on(admin, "1.0"));
        BundleEdits.edit(admin, BUNDLE, b -> {
            b.getSpec().setVersion("2.0");
            b.getSpec().getSource().getFiles().get(0).setContent("server ntp2 iburst\n");
            return b;
        });
        fleet.await("2.0 in flight", () -> {
            ConfextBundle b = fleet.get(admin);
            return b.getStatus() != null
                    && "2.0".equals(b.getStatus().getTargetVersion())
                    && b.getStatus().getUpdated() != null
                    && b.getStatus().getUpdated() >= 1;
        });
        assertThat(fleet.on(admin, "2.0"))
                .as("the rollout is still in flight when the upgrade starts")
                .isFalse();

        // helm upgrade alone: the templates move, the CRDs stay (Helm never upgrades crds/)
        new Helm(repo.chart())
                .upgrade()
                .withName(RELEASE)
                .withNamespace(NS)
                .withKubeConfigContents(server.kubeConfigYaml())
                .call();
        assertThat(unserved(admin, previous.crds()))
                .as("helm upgrade left the CRDs")
                .isEmpty();

        // the documented step, with the real kubectl
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(kubeconfig, server.kubeConfigYaml());
        List<String> command = new ArrayList<>(
                List.of(K8sBinaries.find().kubectl().toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(DOCUMENTED.substring("kubectl ".length()).split(" ")));
        String out = PreviousChart.run(repo.root(), command);
        assertThat(out).contains("confextbundles.confext.io serverside-applied");
        for (CustomResourceDefinition crd :
                admin.apiextensions().v1().customResourceDefinitions().list().getItems()) {
            if (crd.getMetadata().getName().endsWith(".confext.io")) {
                admin.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd.getMetadata().getName())
                        .waitUntilCondition(Crds::established, 60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        assertThat(unserved(admin, repo.crds()))
                .as("the working tree's CRDs are served")
                .isEmpty();

        fleet.await("2.0 on all nodes after the upgrade", () -> fleet.on(admin, "2.0"));
        ConfextBundle done = fleet.get(admin);
        assertThat(done.getSpec().getSource().getFiles().get(0).getContent()).isEqualTo("server ntp2 iburst\n");
        assertThat(done.getStatus().getHistory())
                .extracting(h -> h.getVersion())
                .containsExactly("2.0", "1.0");
        assertThat(done.getStatus().getFailed()).isZero();

        // every input the working tree accepts is accepted now and kept whole: nothing pruned as unknown
        Path goodInput = repo.root().resolve("src-test/apiserver/src/test/resources/good-input");
        for (Path file : RepoFiles.yamlFiles(goodInput)) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata object : admin.load(in).items()) {
                    HasMetadata stored = admin.resource(object).dryRun().create();
                    JsonNode sent =
                            Serialization.jsonMapper().valueToTree(object).path("spec");
                    JsonNode kept =
                            Serialization.jsonMapper().valueToTree(stored).path("spec");
                    assertThat(missing(sent, kept, "spec"))
                            .as(file.getFileName() + ": fields the API server dropped")
                            .isEmpty();
                }
            }
        }
    }

    /** The paths of {@code sent} that {@code kept} lacks or holds with another value (defaults added are fine). */
    private static List<String> missing(JsonNode sent, JsonNode kept, String path) {
        List<String> out = new ArrayList<>();
        if (sent.isObject()) {
            sent.fields()
                    .forEachRemaining(
                            f -> out.addAll(missing(f.getValue(), kept.path(f.getKey()), path + "." + f.getKey())));
        } else if (sent.isArray()) {
            for (int i = 0; i < sent.size(); i++) {
                out.addAll(missing(sent.get(i), kept.path(i), path + "[" + i + "]"));
            }
        } else if (kept.isMissingNode() && isZero(sent)) {
            return out; // the server omits zero values (a printer column's priority 0)
        } else if (!sent.isNull() && !sent.equals(kept)) {
            out.add(path);
        }
        return out;
    }

    /**
     * The API server is shared by the tier's classes: the CRDs an earlier class applied are removed (with what they
     * held, which that class no longer needs), so that helm install creates the previous ones as for a new user.
     */
    private static void removeConfextCrds(KubernetesClient admin) {
        var crds = admin.apiextensions().v1().customResourceDefinitions();
        List<String> names = crds.list().getItems().stream()
                .map(c -> c.getMetadata().getName())
                .filter(n -> n.endsWith(".confext.io"))
                .toList();
        for (String name : names) {
            crds.withName(name).delete();
        }
        for (String name : names) {
            crds.withName(name)
                    .waitUntilCondition(java.util.Objects::isNull, 120, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static boolean isZero(JsonNode value) {
        return (value.isNumber() && value.asDouble() == 0) || (value.isBoolean() && !value.asBoolean());
    }

    /**
     * What of the CRD files the server does not serve: each file's {@code spec.versions} must be contained in the
     * served CRD's (the server adds defaults of its own). Empty when the server serves exactly these CRDs' schemas.
     */
    private static List<String> unserved(KubernetesClient admin, List<Path> files) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path file : files) {
            CustomResourceDefinition want = read(file);
            CustomResourceDefinition served = admin.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(want.getMetadata().getName())
                    .get();
            JsonNode wanted =
                    Serialization.jsonMapper().valueToTree(want.getSpec().getVersions());
            JsonNode has = served == null
                    ? Serialization.jsonMapper().createArrayNode()
                    : Serialization.jsonMapper().valueToTree(served.getSpec().getVersions());
            missing(wanted, has, want.getMetadata().getName()).forEach(out::add);
        }
        return out;
    }

    private static CustomResourceDefinition read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
    }

    private static ConfextBundle bundle(String version) {
        return BundleBuilder.bundle(BUNDLE, version)
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server ntp1 iburst\n")
                .nodeSelector(WORKER)
                .rollout(r -> r.setMaxUnavailable(new IntOrString(1)))
                .build();
    }
}
