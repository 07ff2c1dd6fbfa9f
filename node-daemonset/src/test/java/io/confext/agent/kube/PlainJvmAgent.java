package io.confext.agent.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.confext.agent.apply.SystemdHostApplier;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Benchmark subject only, never shipped: the agent's own objects (the same {@link SystemdHostApplier},
 * work loop and watch as {@code AgentMain}/{@code AgentBeans}) without Quarkus, on fabric8's JDK HTTP
 * client, with the JDK's HTTP server answering the two probe paths. {@link AgentFootprintBenchmark}
 * starts it through the production launcher to measure how much of the agent's resident memory is
 * Quarkus/Vert.x and how much is the JVM, fabric8 and the agent itself. The loop runs with
 * {@link RunningAgent}'s timings (a heartbeat, and so a host systemd check, every second instead of
 * every 30 s): if anything it does more work than the shipped agent.
 */
public final class PlainJvmAgent {

    static final String STARTED = "plain JVM agent started";

    private PlainJvmAgent() {}

    public static void main(String[] args) throws IOException {
        String node = System.getenv("NODE_NAME");
        long pid = Long.parseLong(System.getenv("CONFEXT_AGENT_HOST_PID"));
        Config config = new ConfigBuilder(Config.autoConfigure(null))
                .withMasterUrl(System.getenv("QUARKUS_KUBERNETES_CLIENT_API_SERVER_URL"))
                .build();
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
        SystemdHostApplier host = new SystemdHostApplier(pid, "/var/lib/confext-operator"); // the agent's timeouts
        RunningAgent agent = new RunningAgent(client, node, host);
        HttpServer http =
                HttpServer.create(new InetSocketAddress(Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"))), 4);
        http.createContext(
                "/q/health/live", ex -> answer(ex, agent.health.sinceLastBeat().toMinutes() < 10));
        http.createContext(
                "/q/health/ready",
                ex -> answer(
                        ex, agent.health.apiConnected() && agent.health.host().reachable()));
        http.start();
        System.out.println(STARTED);
    }

    private static void answer(HttpExchange exchange, boolean up) throws IOException {
        byte[] body = ("{\"status\": \"" + (up ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(up ? 200 : 503, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The other floor: a JVM with the launcher's flags that loads nothing but its own main class. */
    public static final class Idle {

        static final String STARTED = "idle JVM started";

        private Idle() {}

        public static void main(String[] args) throws InterruptedException {
            System.out.println(STARTED);
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
