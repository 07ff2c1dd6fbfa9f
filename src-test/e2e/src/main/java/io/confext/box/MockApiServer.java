package io.confext.box;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * fabric8's mock API server in CRUD mode: the fallback when the real binaries are not built (or with
 * {@code --api-server=mock}). It keeps objects and
 * serves watches, but knows no schema validation, no server-side apply and too little discovery for kubectl.
 */
final class MockApiServer implements ApiServer {

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private MockApiServer(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    /** The mock server logs every request at INFO: far too much next to the live view. */
    private static final java.util.logging.Logger QUIET =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static MockApiServer start() {
        QUIET.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new MockApiServer(server);
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String kubeconfigYaml() {
        String url = client.getMasterUrl().toString().replaceAll("/$", "");
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: box
                  cluster:
                    server: %s
                contexts:
                - name: box
                  context:
                    cluster: box
                    user: box
                current-context: box
                users:
                - name: box
                  user:
                    token: box
                """.formatted(url);
    }

    @Override
    public String description() {
        return "fabric8 mock API server, CRUD mode (" + client.getMasterUrl() + ")";
    }

    @Override
    public boolean realApiServer() {
        return false;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
