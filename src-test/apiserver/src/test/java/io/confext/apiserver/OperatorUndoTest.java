package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.operator.bundle.BundleReconciler;
import io.confext.testsupport.BundleBuilder;
import io.confext.testsupport.SimulatedAgent;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Undo on a real API server, with the chart's RBAC and admission policy for the operator and the
 * agents: 1.0 -> 2.0 -> back to 1.0 completes (the operator marks the way back as a rollback, which
 * the simulated agents, like the real ones, need to go below a version they applied); a lower version
 * never delivered through the bundle is refused and the nodes stay; the confext.io/undo annotation
 * sets the spec back to a version of the history and is removed.
 */
@RealApiServerTest
class OperatorUndoTest {

    private static final String NS = "undo-test";
    private static final String RELEASE = "undo-confext-operator";
    private static final String BUNDLE = "undo-chrony";
    private static final Map<String, String> WORKER = Map.of("confext.io/test-pool", "undo");
    private static final List<String> NODES = List.of("undo-node-0", "undo-node-1", "undo-node-2");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static KubernetesClient operatorClient;
    private static InProcessOperator operator;
    private static final List<SimulatedAgent> agents = new ArrayList<>();
    private static final BundleFleet FLEET = new BundleFleet(BUNDLE, NODES, WAIT, agents, () -> operatorClient);

    @BeforeAll
    static void installChartNodesAgentsAndOperator(ApiServer server) {
        ChartInstaller.install(server, RELEASE, NS);
        KubernetesClient admin = server.admin();
        Crds.installAll(admin, RepoFiles.fromBuild().crds());
        for (String name : NODES) {
            Node node = admin.resource(new NodeBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withLabels(WORKER)
                            .endMetadata()
                            .build())
                    .create();
            agents.add(SimulatedAgent.startOwning(
                    server.withToken(Tokens.boundToNode(admin, NS, RELEASE + "-agent", node)),
                    name,
                    SimulatedAgent.Behaviour.immediate()));
        }
        operator = InProcessOperator.start(server, NS, RELEASE);
        operatorClient = operator.client();
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.close();
        }
        agents.forEach(SimulatedAgent::close);
    }

    @Test
    void backToADeliveredVersionCompletesALowerNewVersionIsRefusedAndTheAnnotationUndoes(ApiServer server) {
        KubernetesClient admin = server.admin();
        admin.resource(bundle("1.0")).create();
        FLEET.await("1.0 on all nodes", () -> FLEET.on(admin, "1.0"));
        setVersion(admin, "2.0");
        FLEET.await("2.0 on all nodes", () -> FLEET.on(admin, "2.0"));

        // back to 1.0 with its content: a rollback the operator plans and marks
        setVersion(admin, "1.0");
        FLEET.await("back on 1.0 on all nodes", () -> FLEET.on(admin, "1.0"));
        ConfextBundle back = FLEET.get(admin);
        assertThat(back.getStatus().getFailed()).isZero();
        assertThat(back.getStatus().getHistory().get(0).getVersion()).isEqualTo("1.0");
        assertThat(back.getStatus().getHistory().get(0).getRollback())
                .as("history shows the rollback")
                .isTrue();
        assertThat(back.getStatus().getHistory())
                .extracting(h -> h.getVersion())
                .containsExactly("1.0", "2.0", "1.0");
        assertThat(entries(admin))
                .as("each node got the downgrade permit")
                .allSatisfy(d -> assertThat(d.getRollback()).isTrue());

        // 0.9 was never delivered through this bundle: refused, the nodes stay on 1.0
        setVersion(admin, "0.9");
        FLEET.await(
                "0.9 refused", () -> "DowngradeNotAllowed".equals(BundleFleet.reason(FLEET.get(admin), "Degraded")));
        ConfextBundle refused = FLEET.get(admin);
        assertThat(BundleFleet.condition(refused, "Degraded").getMessage()).contains("0.9", "allowDowngrade");
        assertThat(refused.getStatus().getTargetVersion())
                .as("the running rollout's target stays")
                .isEqualTo("1.0");
        BundleFleet.pause(Duration.ofSeconds(3));
        assertThat(entries(admin)).allSatisfy(d -> assertThat(d.getVersion()).isEqualTo("1.0"));
        assertThat("DowngradeNotAllowed")
                .as("the refusal lasts")
                .isEqualTo(BundleFleet.reason(FLEET.get(admin), "Degraded"));

        // an undo to a version not in the history: removed, nothing else changes
        annotate(admin, "0.5");
        FLEET.await("the undo annotation consumed", () -> undoAnnotation(FLEET.get(admin)) == null);
        assertThat(FLEET.get(admin).getSpec().getVersion()).isEqualTo("0.9");

        // undo to 2.0 by annotation: the spec gets 2.0's content back and the fleet moves there
        annotate(admin, "2.0");
        FLEET.await(
                "the undo to 2.0 applied",
                () -> "2.0".equals(FLEET.get(admin).getSpec().getVersion()));
        assertThat(undoAnnotation(FLEET.get(admin))).as("consumed and cleared").isNull();
        assertThat(FLEET.get(admin).getSpec().getSource().getFiles().get(0).getContent())
                .isEqualTo(content("2.0"));
        FLEET.await("2.0 on all nodes after the undo", () -> FLEET.on(admin, "2.0"));

        // undo previous: the newest history entry with another version, 1.0
        annotate(admin, "previous");
        FLEET.await(
                "the undo to previous applied",
                () -> "1.0".equals(FLEET.get(admin).getSpec().getVersion()));
        FLEET.await("1.0 on all nodes after undo previous", () -> FLEET.on(admin, "1.0"));
        ConfextBundle undone = FLEET.get(admin);
        assertThat(undone.getStatus().getHistory().get(0).getRollback()).isTrue();
        assertThat(undone.getStatus().getFailed()).isZero();
        assertThat(BundleFleet.reason(undone, "Degraded")).isEqualTo("AsExpected");

        // the events carry the catalogue's words, the refusal the same word as its condition
        assertThat(eventReasons(admin))
                .contains(
                        "RollbackPlanned",
                        "DowngradeNotAllowed",
                        "UndoRefused",
                        "UndoApplied",
                        "WaveStarted",
                        "RolloutComplete")
                .allSatisfy(r -> assertThat(Reason.of(r)).as(r).isPresent());
    }

    private static List<String> eventReasons(KubernetesClient admin) {
        return admin.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> BUNDLE.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getReason())
                .toList();
    }

    private static String content(String version) {
        return "server ntp" + version + " iburst\n";
    }

    private static void setVersion(KubernetesClient admin, String version) {
        BundleEdits.edit(admin, BUNDLE, b -> {
            b.getSpec().setVersion(version);
            b.getSpec().getSource().getFiles().get(0).setContent(content(version));
            return b;
        });
    }

    private static void annotate(KubernetesClient admin, String request) {
        BundleEdits.edit(admin, BUNDLE, b -> {
            Map<String, String> a = b.getMetadata().getAnnotations() == null
                    ? new HashMap<>()
                    : new HashMap<>(b.getMetadata().getAnnotations());
            a.put(BundleReconciler.UNDO_ANNOTATION, request);
            b.getMetadata().setAnnotations(a);
            return b;
        });
    }

    private static String undoAnnotation(ConfextBundle b) {
        return b.getMetadata().getAnnotations() == null
                ? null
                : b.getMetadata().getAnnotations().get(BundleReconciler.UNDO_ANNOTATION);
    }

    private static List<DesiredBundle> entries(KubernetesClient admin) {
        return NODES.stream()
                .map(n -> admin.resources(ConfextNode.class).withName(n).get())
                .flatMap(n -> n.getSpec().getBundles().stream())
                .filter(d -> BUNDLE.equals(d.getName()))
                .toList();
    }

    private static ConfextBundle bundle(String version) {
        return BundleBuilder.bundle(BUNDLE, version)
                .units("chronyd.service")
                .file("chrony/chrony.conf", content(version))
                .nodeSelector(WORKER)
                .rollout(r -> r.setMaxUnavailable(new IntOrString(3)))
                .build();
    }
}
