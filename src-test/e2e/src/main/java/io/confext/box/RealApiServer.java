package io.confext.box;

import io.confext.testbed.K8sBinaries;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** A real kube-apiserver + etcd from the locally built binaries, started offline by fabric8 kube-api-test. */
final class RealApiServer implements ApiServer {

    private final KubeAPIServer server;
    private final String version;
    private final String kubeconfig;
    private final KubernetesClient client;

    private RealApiServer(KubeAPIServer server, String version) {
        this.server = server;
        this.version = version;
        this.kubeconfig = server.getKubeConfigYaml();
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    static RealApiServer start(K8sBinaries binaries) {
        String version = binaries.version().orElseThrow(() -> new IllegalStateException("no kube-apiserver binaries"));
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withTestDir(binaries.dir().toString())
                .withApiServerVersion(version)
                .withUpdateKubeConfig(false)
                .withStartupTimeout(180_000)
                .build());
        server.start();
        return new RealApiServer(server, version);
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String kubeconfigYaml() {
        return kubeconfig;
    }

    @Override
    public String description() {
        return "real kube-apiserver " + version + " + etcd (" + client.getMasterUrl() + ")";
    }

    @Override
    public boolean realApiServer() {
        return true;
    }

    @Override
    public void close() {
        client.close();
        server.stop();
    }
}
