package io.confext.kubectl;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pause", description = "Sets spec.rollout.paused: no new node starts; nodes already updating finish.")
final class PauseCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    String name;

    @Override
    int run(Cluster cluster, PrintWriter out) {
        return Paused.set(cluster, out, name, true);
    }
}
