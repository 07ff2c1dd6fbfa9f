package io.confext.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** values.schema.json refuses bad values, and Helm's message names the offending value. */
class ValuesSchemaTest {

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("operator: {replicas: 0}", "/operator/replicas"),
                Arguments.of("operator: {jvmOptions: [\"-Xmx1g\"]}", "/operator/jvmOptions"),
                Arguments.of("operator: {replicas: \"two\"}", "/operator/replicas"),
                Arguments.of("operator: {replicas: 2, leaderElection: {enabled: false}}", "/operator/replicas"),
                Arguments.of("operater: {replicas: 1}", "operater"),
                Arguments.of("agent: {image: {pullPolicy: Sometimes}}", "/agent/image/pullPolicy"),
                Arguments.of("agent: {image: {repository: \"\"}}", "/agent/image/repository"),
                Arguments.of("agent: {image: {tag: \"1.0 beta\"}}", "/agent/image/tag"),
                Arguments.of("agent: {resources: {limits: {memory: lots}}}", "/agent/resources/limits/memory"),
                Arguments.of("agent: {resources: {limit: {memory: 1Gi}}}", "limit"),
                Arguments.of("agent: {tolerations: [{operator: Maybe}]}", "/agent/tolerations/0/operator"),
                Arguments.of("agent: {priorityClassName: \"\"}", "/agent/priorityClassName"),
                Arguments.of("agent: {trustSecretNames: [confext-trust]}", "trustSecretNames"),
                Arguments.of("operator: {sourceNamespaces: [Bad_Name]}", "/operator/sourceNamespaces/0"),
                Arguments.of("policy: {requireSignedImages: \"yes\"}", "/policy/requireSignedImages"),
                Arguments.of("policy: {grants: [{groups: [team-a]}]}", "/policy/grants/0"),
                Arguments.of("policy: {grants: [{name: a, scopes: [Everywhere]}]}", "/policy/grants/0/scopes/0"),
                Arguments.of(
                        "policy: {grants: [{name: a, serviceAccounts: [{name: ci}]}]}",
                        "/policy/grants/0/serviceAccounts/0"),
                Arguments.of("policy: {workerNodeSelectors: [{}]}", "/policy/workerNodeSelectors/0"),
                Arguments.of("agent: {probes: {port: 70000}}", "/agent/probes/port"),
                Arguments.of("agent: {managedByOperator: \"yes\"}", "/agent/managedByOperator"),
                Arguments.of("agent: {imagePolicy: \"root=verity signed\"}", "/agent/imagePolicy"),
                Arguments.of("agent: {disk: {minFreeBytes: -1}}", "/agent/disk/minFreeBytes"),
                Arguments.of("agent: {disk: {maxVersionsBytes: 4Gi}}", "/agent/disk/maxVersionsBytes"),
                Arguments.of("agent: {disk: {maxBytes: 1}}", "maxBytes"),
                Arguments.of("admissionPolicy: {enabled: maybe}", "/admissionPolicy/enabled"),
                Arguments.of("operator: {logLevel: LOUD}", "/operator/logLevel"),
                Arguments.of(
                        "metrics: {serviceMonitor: {enabled: true, interval: often}}",
                        "/metrics/serviceMonitor/interval"),
                Arguments.of("metrics: {grafanaDashboard: {enabled: \"yes\"}}", "/metrics/grafanaDashboard/enabled"),
                Arguments.of(
                        "metrics: {serviceMonitor: {labels: {release: 1}}}", "/metrics/serviceMonitor/labels/release"),
                Arguments.of("metrics: {scrape: true}", "scrape"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void refusedWithAMessageNamingTheValue(String values, String expectedInMessage) {
        ChartRenderer renderer = new ChartRenderer(ChartLocation.fromBuild());
        assertThatThrownBy(() -> renderer.renderRaw(values))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(expectedInMessage);
    }
}
