package io.confext.apiserver;

import io.confext.testbed.K8sBinaries;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A real kube-apiserver + etcd of its own (not the tier's shared one) whose audit log records the
 * writes of one user, for the fleet benchmark.
 */
final class AuditedApiServer implements AutoCloseable {

    private final KubeAPIServer server;
    private final ApiServer api;
    private final Path auditLog;

    private AuditedApiServer(KubeAPIServer server, ApiServer api, Path auditLog) {
        this.server = server;
        this.api = api;
        this.auditLog = auditLog;
    }

    static AuditedApiServer start(K8sBinaries binaries, Path workDir, String auditedUser) {
        try {
            Files.createDirectories(workDir);
            Path policy = workDir.resolve("audit-policy.yaml");
            Path log = workDir.resolve("audit.log");
            Files.writeString(policy, AuditLog.policyFor(auditedUser));
            Files.deleteIfExists(log);
            KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withOfflineMode(true)
                    .withTestDir(binaries.dir().toString())
                    .withApiServerVersion(binaries.version().orElseThrow())
                    .withUpdateKubeConfig(false)
                    .withStartupTimeout(120_000)
                    .withApiServerFlags(AuditLog.apiServerFlags(policy, log))
                    .build());
            server.start();
            String kubeConfig = server.getKubeConfigYaml();
            KubernetesClient admin = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(kubeConfig))
                    .build();
            return new AuditedApiServer(server, new ApiServer(admin, kubeConfig), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ApiServer api() {
        return api;
    }

    Path auditLog() {
        return auditLog;
    }

    /** The kube-apiserver child process, for its CPU time (it shares the machine's 2 cores with the operator). */
    Optional<Long> apiServerPid() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info()
                        .command()
                        .map(c -> c.endsWith("/kube-apiserver"))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .findFirst();
    }

    /** A kubeconfig (YAML) that authenticates with a bearer token only, against this server and its CA. */
    String kubeConfigWithToken(String token) {
        Config admin = api.admin().getConfiguration();
        String ca = admin.getCaCertFile() != null
                ? "certificate-authority: " + admin.getCaCertFile()
                : "certificate-authority-data: " + admin.getCaCertData();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: bench
                    cluster:
                      server: %s
                      %s
                users:
                  - name: operator
                    user:
                      token: %s
                contexts:
                  - name: bench
                    context: {cluster: bench, user: operator}
                current-context: bench
                """.formatted(admin.getMasterUrl(), ca, token);
    }

    @Override
    public void close() {
        api.admin().close();
        server.stop();
    }
}
