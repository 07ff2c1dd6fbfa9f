package io.confext.kubectl;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resume", description = "Clears spec.rollout.paused: the rollout goes on.")
final class ResumeCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    String name;

    @Override
    int run(Cluster cluster, PrintWriter out) {
        return Paused.set(cluster, out, name, false);
    }
}
