package io.confext.kubectl;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that talks to the API server: one client per call, closed at the end. */
abstract class ClusterCommand implements Callable<Integer> {
    @ParentCommand
    KubectlConfext root;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try (KubernetesClient client = root.connect()) {
            try {
                return run(
                        new Cluster(client, root.namespace), spec.commandLine().getOut());
            } catch (KubernetesClientException e) {
                if (e.getCode() <= 0) { // no HTTP answer at all: name the server, as kubectl does
                    throw new CommandFailure("cannot reach the API server at " + client.getMasterUrl() + ": "
                            + KubectlConfext.rootMessage(e));
                }
                throw e;
            }
        }
    }

    abstract int run(Cluster cluster, PrintWriter out) throws Exception;

    static void print(PrintWriter out, List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }
}
