package io.confext.testbed.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.confext.testbed.ExecResult;
import io.confext.testbed.K8sBinaries;
import io.confext.testbed.Prerequisites;
import io.confext.testbed.ProcessRunner;
import io.confext.testsupport.tier.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test bed's own check of its Kubernetes cluster: two kubelet nodes register with their own certificates and
 * become Ready; the Node authorizer and NodeRestriction hold them to their own Node; everything is gone after
 * close. (The product on these nodes is tested in src-test/e2e.)
 */
@HostTest
class RealNodeClusterTest {

    @TempDir
    Path tmp;

    @Test
    void nodesRegisterWithTheirOwnCredentialsAreHeldToThemAndLeaveNothingBehind() throws Exception {
        Optional<String> capability = Prerequisites.missingCapability();
        Assumptions.assumeTrue(
                capability.isEmpty(),
                () -> "skipped: this machine cannot boot systemd hosts: " + capability.orElse(""));
        RealNodeCluster.missing().ifPresent(why -> fail("the real-nodes tier cannot start: " + why));
        Path kubectl = K8sBinaries.find().kubectl();
        try (RealNodeCluster cluster = RealNodeCluster.start(2, List.of(), "registry.k8s.io/pause:3.10")) {
            cluster.awaitNodesReady(Duration.ofMinutes(3));
            ExecResult nodes =
                    cluster.controlPlane().kubectlOk("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}");
            assertThat(nodes.stdout().split(" ")).containsExactlyInAnyOrder("node1", "node2");
            ExecResult ip = cluster.controlPlane()
                    .kubectlOk(
                            "get",
                            "node",
                            "node1",
                            "-o",
                            "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}");
            assertThat(ip.stdout()).isEqualTo(NodeNetwork.nodeAddress(0));

            // node1's own kubelet credentials, as the kubelet uses them
            Path kc = tmp.resolve("node1.kubeconfig");
            Files.copy(cluster.node("node1").host().hostPath("/etc/kubernetes/kubelet.kubeconfig"), kc);
            ExecResult own = ProcessRunner.run(
                    List.of(
                            kubectl.toString(),
                            "--kubeconfig=" + kc,
                            "label",
                            "node",
                            "node1",
                            "confext.io/test=own",
                            "--overwrite"),
                    Duration.ofSeconds(30));
            ExecResult other = ProcessRunner.run(
                    List.of(
                            kubectl.toString(),
                            "--kubeconfig=" + kc,
                            "label",
                            "node",
                            "node2",
                            "confext.io/test=other",
                            "--overwrite"),
                    Duration.ofSeconds(30));
            ExecResult secrets = ProcessRunner.run(
                    List.of(kubectl.toString(), "--kubeconfig=" + kc, "get", "secrets", "-A"), Duration.ofSeconds(30));
            assertThat(own.exitCode())
                    .as("node1 labels its own Node: %s", own.stderr())
                    .isZero();
            assertThat(other.exitCode()).as("node1 may not change node2").isNotZero();
            assertThat(other.stderr()).contains("forbidden");
            assertThat(secrets.stderr()).as("a node lists no Secrets").contains("forbidden");
            // the kubernetes Service address answers inside a node (DNAT to the API server; there is no kube-proxy)
            ExecResult viaService = cluster.node("node1")
                    .host()
                    .exec(
                            "bash",
                            "-c",
                            "exec 3<>/dev/tcp/" + NodeNetwork.KUBERNETES_SERVICE_IP + "/443 && echo connected");
            assertThat(viaService.stdout())
                    .as("TCP to the kubernetes Service from node1: %s", viaService.stderr())
                    .contains("connected");
        }
        ExecResult netns = ProcessRunner.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10));
        assertThat(netns.stdout()).as("network namespaces after close").doesNotContain(NodeNetwork.NETNS_PREFIX);
        assertThat(ProcessRunner.run(List.of("ip", "link", "show", NodeNetwork.BRIDGE), Duration.ofSeconds(10))
                        .ok())
                .as("the bridge after close")
                .isFalse();
    }
}
