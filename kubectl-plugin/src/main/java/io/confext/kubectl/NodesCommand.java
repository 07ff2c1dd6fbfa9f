package io.confext.kubectl;

import io.confext.kubectl.render.NodesView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "nodes",
        description = "What each node has and sees: per ConfextNode the host's systemd, the agent's Ready,"
                + " and per bundle the version asked for, the version the units see, the phase and its reason.")
final class NodesCommand extends ClusterCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "BUNDLE", description = "Only this bundle's rows.")
    String name;

    @Override
    int run(Cluster cluster, PrintWriter out) {
        if (name != null) {
            cluster.bundle(name);
        }
        print(out, NodesView.render(cluster.nodes(), name));
        return 0;
    }
}
