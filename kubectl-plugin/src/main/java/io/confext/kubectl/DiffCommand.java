package io.confext.kubectl;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.kubectl.render.RevisionChoice;
import io.confext.kubectl.render.RevisionDiff;
import io.confext.kubectl.render.StoredRevision;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "diff",
        description = {
            "The difference in /etc between two revisions of a bundle, as a unified diff of the"
                    + " files each puts there (for an image source: which image digest changed).",
            "FROM and TO are versions (the newest revision of each) or ControllerRevision names."
        })
final class DiffCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    String name;

    @Parameters(index = "1", paramLabel = "FROM")
    String from;

    @Parameters(index = "2", paramLabel = "TO")
    String to;

    @Override
    int run(Cluster cluster, PrintWriter out) {
        ConfextBundle bundle = cluster.bundle(name);
        List<StoredRevision> revisions = cluster.revisions(bundle, cluster.nodes());
        print(out, RevisionDiff.render(name, pick(from, revisions), pick(to, revisions)));
        return 0;
    }

    private StoredRevision pick(String word, List<StoredRevision> revisions) {
        return RevisionChoice.pick(word, revisions)
                .orElseThrow(() -> new CommandFailure("confextbundle " + name
                        + " has no stored revision " + word + " (stored versions: " + RevisionChoice.known(revisions)
                        + "); see kubectl confext history " + name));
    }
}
