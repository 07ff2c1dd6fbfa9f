package io.confext.box;

import java.time.Duration;
import java.util.List;

/**
 * The command line of {@link ClusterInABox}.
 *
 * @param exitAfterRollout exit (0) once the sample bundle is rolled out, non-zero on failure or timeout (CI)
 * @param timeout          how long the rollout may take
 * @param apiServer        which API server to start (process mode; real nodes always run the real one)
 * @param mode             real nodes (as it ships) or plain processes
 */
public record BoxArguments(boolean exitAfterRollout, Duration timeout, ApiServerMode apiServer, BoxMode mode) {

    static final String USAGE = """
            usage: cluster-in-a-box [--exit-after-rollout] [--timeout=SECONDS] [--mode=auto|nodes|processes] [--api-server=auto|real|mock]
              --exit-after-rollout  exit 0 once the sample bundle is rolled out on every host (non-zero on failure)
              --timeout=SECONDS     how long the rollout may take (default 600)
              --mode=MODE           nodes: as it ships: kubelet nodes (booted systemd hosts with containerd), the
                                    built images, helm install of the chart, operator and agents as pods;
                                    processes: operator and agents as plain JVMs with the admin kubeconfig;
                                    auto (default): nodes when this machine can run them, else processes (says why)
              --api-server=MODE     process mode only; real: the real kube-apiserver + etcd (built by scripts/build-k8s-binaries);
                                    mock: fabric8's embedded mock server (no kubectl);
                                    auto (default): real when its binaries are built, else mock""";

    public BoxArguments(boolean exitAfterRollout, Duration timeout) {
        this(exitAfterRollout, timeout, ApiServerMode.AUTO, BoxMode.AUTO);
    }

    /** The process mode with the given API server. */
    public BoxArguments(boolean exitAfterRollout, Duration timeout, ApiServerMode apiServer) {
        this(exitAfterRollout, timeout, apiServer, BoxMode.PROCESSES);
    }

    public static BoxArguments parse(List<String> args) {
        boolean exit = false;
        Duration timeout = Duration.ofMinutes(10);
        ApiServerMode api = ApiServerMode.AUTO;
        BoxMode mode = BoxMode.AUTO;
        for (String a : args) {
            if (a.equals("--exit-after-rollout")) {
                exit = true;
            } else if (a.startsWith("--timeout=")) {
                String v = a.substring("--timeout=".length());
                long s;
                try {
                    s = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--timeout wants whole seconds, not '" + v + "'\n" + USAGE);
                }
                if (s < 1) {
                    throw new IllegalArgumentException("--timeout must be at least 1 second\n" + USAGE);
                }
                timeout = Duration.ofSeconds(s);
            } else if (a.startsWith("--api-server=")) {
                api = ApiServerMode.parse(a.substring("--api-server=".length()));
            } else if (a.startsWith("--mode=")) {
                mode = BoxMode.parse(a.substring("--mode=".length()));
            } else if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            } else {
                throw new IllegalArgumentException("unknown argument '" + a + "'\n" + USAGE);
            }
        }
        return new BoxArguments(exit, timeout, api, mode);
    }
}
