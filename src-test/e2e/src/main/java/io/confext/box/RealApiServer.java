package io.confext.box;

import io.confext.testbed.K8sBinaries;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
        this.client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig))
                .build();
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

    /**
     * kube-api-test starts etcd and kube-apiserver as children of this JVM and keeps their handles to itself: find
     * them among this JVM's children by binary name, and etcd's data and WAL directories (fresh temporary
     * directories it deletes only on a clean stop) on etcd's command line.
     */
    @Override
    public List<Leftover> leftovers() {
        List<Leftover> found = new ArrayList<>();
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            String exe = child.info()
                    .command()
                    .map(c -> Path.of(c).getFileName().toString())
                    .orElse("");
            if (!Set.of("etcd", "kube-apiserver").contains(exe)) {
                continue;
            }
            ProcessStamp.of(child.pid(), exe).ifPresent(found::add);
            if (exe.equals("etcd")) {
                List<String> argv = cmdline(child.pid());
                for (int i = 0; i + 1 < argv.size(); i++) {
                    if (argv.get(i).equals("-data-dir") || argv.get(i).equals("-wal-dir")) {
                        found.add(new Leftover.Dir(Path.of(argv.get(i + 1))));
                    }
                }
            }
        }
        return found;
    }

    private static List<String> cmdline(long pid) {
        try {
            String raw = new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return List.of(raw.split("\u0000"));
        } catch (IOException gone) {
            return List.of();
        }
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
