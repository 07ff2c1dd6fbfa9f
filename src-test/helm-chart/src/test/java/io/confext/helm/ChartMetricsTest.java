package io.confext.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's metrics objects (docs/metrics.md, docs/helm.md): the operator's and the agents' metrics Services, the
 * optional ServiceMonitors and the Grafana dashboard ConfigMap, and a dashboard that queries only metrics that exist.
 */
class ChartMetricsTest {

    private static final String NS = ChartRenderer.NAMESPACE;

    private static RenderedChart render(String values) {
        return new ChartRenderer(ChartLocation.fromBuild()).render(values);
    }

    @Test
    void byDefaultBothMetricsServicesSelectTheirPodsAndNothingNeedsThePrometheusOperator() {
        RenderedChart chart = render("");
        Service operator = chart.one(Service.class, "confext-operator-metrics");
        Deployment deployment = chart.one(Deployment.class, "confext-operator");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(operator.getSpec().getSelector());
        assertThat(operator.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("metrics");
            assertThat(p.getTargetPort().getIntVal())
                    .as("the operator container's http port")
                    .isEqualTo(deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getPorts()
                            .get(0)
                            .getContainerPort());
        });
        Service agents = chart.one(Service.class, "confext-operator-agent-metrics");
        assertThat(agents.getSpec().getClusterIP())
                .as("headless: one endpoint per agent, on its node's address")
                .isEqualTo("None");
        assertThat(agents.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", "agent");
        assertThat(agents.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8741));
        assertThat(agents.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(chart.objects()).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
        assertThat(chart.all(ConfigMap.class))
                .noneMatch(c -> c.getMetadata().getLabels().containsKey("grafana_dashboard"));
    }

    @Test
    void theAgentServiceSelectsThePodsOfTheDaemonSetTheChartRendersOnItsPort() {
        RenderedChart chart = render("agent: {managedByOperator: false, probes: {port: 9741}}");
        Service agents = chart.one(Service.class, "confext-operator-agent-metrics");
        var pod = chart.one(io.fabric8.kubernetes.api.model.apps.DaemonSet.class, "confext-operator-agent")
                .getSpec()
                .getTemplate();
        assertThat(pod.getMetadata().getLabels())
                .containsAllEntriesOf(agents.getSpec().getSelector());
        assertThat(agents.getSpec().getPorts().get(0).getTargetPort().getIntVal())
                .isEqualTo(9741);
        assertThat(pod.getSpec().getHostNetwork()).isTrue();
    }

    @Test
    void serviceMonitorsScrapeQMetricsAndLabelTheAgentsByNode() {
        RenderedChart chart = render("""
                metrics:
                  serviceMonitor: {enabled: true, interval: 15s, labels: {release: prometheus}}
                """);
        List<GenericKubernetesResource> monitors = chart.all(GenericKubernetesResource.class).stream()
                .filter(o -> o.getKind().equals("ServiceMonitor"))
                .toList();
        assertThat(monitors)
                .extracting(m -> m.getMetadata().getName())
                .containsExactlyInAnyOrder("confext-operator", "confext-operator-agent");
        for (GenericKubernetesResource m : monitors) {
            assertThat(m.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
            assertThat(m.getMetadata().getLabels()).containsEntry("release", "prometheus");
            Map<String, Object> endpoint = endpoint(m);
            assertThat(endpoint)
                    .containsEntry("port", "metrics")
                    .containsEntry("path", "/q/metrics")
                    .containsEntry("interval", "15s");
            // each selects exactly the labels of one of the chart's metrics Services
            Map<String, String> selector = matchLabels(m);
            assertThat(chart.all(Service.class))
                    .filteredOn(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .as(m.getMetadata().getName() + " selects one Service")
                    .hasSize(1);
        }
        GenericKubernetesResource agent = monitors.stream()
                .filter(m -> m.getMetadata().getName().endsWith("-agent"))
                .findFirst()
                .orElseThrow();
        assertThat(endpoint(agent).get("relabelings"))
                .asList()
                .singleElement()
                .isEqualTo(Map.of("sourceLabels", List.of("__meta_kubernetes_pod_node_name"), "targetLabel", "node"));
    }

    @Test
    void noServiceMonitorWithoutTheServices() {
        RenderedChart chart = render("metrics: {enabled: false, serviceMonitor: {enabled: true}}");
        assertThat(chart.all(Service.class)).isEmpty();
        assertThat(chart.objects()).noneMatch(o -> o.getKind().equals("ServiceMonitor"));
    }

    @Test
    void theDashboardShipsAsAConfigMapForGrafanasSidecar() throws IOException {
        RenderedChart chart = render(
                "metrics: {grafanaDashboard: {enabled: true, namespace: monitoring, labels: {grafana_folder: confext}}}");
        ConfigMap cm = chart.one(ConfigMap.class, "confext-operator-dashboard");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(cm.getMetadata().getLabels())
                .containsEntry("grafana_dashboard", "1")
                .containsEntry("grafana_folder", "confext");
        String shipped = Files.readString(ChartLocation.fromBuild().chart().resolve("dashboards/confext.json"));
        JsonNode rendered = new ObjectMapper().readTree(cm.getData().get("confext.json"));
        assertThat(rendered).isEqualTo(new ObjectMapper().readTree(shipped));
        assertThat(rendered.get("panels")).isNotEmpty();
    }

    /** Every confext_ metric a dashboard panel queries is one docs/metrics.md lists (so the panels are not empty by typo). */
    @Test
    void theDashboardQueriesOnlyDocumentedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper()
                .readTree(ChartLocation.fromBuild()
                        .chart()
                        .resolve("dashboards/confext.json")
                        .toFile());
        String docs = Files.readString(ChartLocation.fromBuild().repoRoot().resolve("docs/metrics.md"));
        Set<String> documented = new TreeSet<>();
        Matcher d = Pattern.compile("^\\| `(confext_[a-z_]+)` \\|", Pattern.MULTILINE)
                .matcher(docs);
        while (d.find()) {
            documented.add(d.group(1));
        }
        assertThat(documented).contains("confext_rollout_waves_started_total", "confext_agent_activation_seconds");
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher q = Pattern.compile("confext_[a-z_]+")
                        .matcher(target.get("expr").asText());
                while (q.find()) {
                    queried.add(q.group().replaceAll("_(sum|count|max)$", ""));
                }
            }
        }
        assertThat(queried).isNotEmpty();
        assertThat(documented).containsAll(queried);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> matchLabels(GenericKubernetesResource m) {
        Map<String, Object> spec = (Map<String, Object>) m.get("spec");
        return (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpoint(GenericKubernetesResource m) {
        Map<String, Object> spec = (Map<String, Object>) m.get("spec");
        return ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    }
}
