package io.confext.kubectl;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.kubectl.render.HistoryView;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "The versions a bundle rolled out (status.history) and its stored revisions.")
final class HistoryCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    String name;

    @Override
    int run(Cluster cluster, PrintWriter out) {
        ConfextBundle bundle = cluster.bundle(name);
        print(out, HistoryView.render(bundle, cluster.revisions(bundle, cluster.nodes())));
        return 0;
    }
}
