package io.confext.kubectl;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.kubectl.render.NodeReport;
import io.confext.kubectl.render.RolloutEnd;
import io.confext.kubectl.render.StatusView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "status",
        description = {
            "A bundle's rollout: versions, node counts, the wave in progress, nodes by phase,"
                    + " conditions and failures with their reasons.",
            "With --watch: prints it again whenever it changes and ends like kubectl rollout status: exit 0 once the rollout"
                    + " is complete, 1 when it ended otherwise (halted, rolled back, no eligible nodes, past its deadline)."
        })
final class StatusCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    String name;

    @Option(
            names = {"-w", "--watch"},
            description = "Follow the rollout until it ends.")
    boolean watch;

    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            defaultValue = "2",
            description = "With --watch: how often to look (default: ${DEFAULT-VALUE}).")
    int intervalSeconds;

    @Override
    int run(Cluster cluster, PrintWriter out) throws InterruptedException {
        String shown = null;
        while (true) {
            ConfextBundle bundle = cluster.bundle(name);
            List<String> lines = StatusView.render(bundle, reports(cluster.nodes()));
            String text = String.join("\n", lines);
            if (!text.equals(shown)) {
                if (shown != null) {
                    out.println();
                    out.println("--- " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
                }
                print(out, lines);
                shown = text;
            }
            if (!watch) {
                return 0;
            }
            Optional<RolloutEnd.Ended> end = RolloutEnd.of(bundle);
            if (end.isPresent()) {
                out.println();
                out.println(
                        end.get().success()
                                ? "rollout of " + bundle.getSpec().getVersion() + " complete"
                                : "rollout ended without success: " + end.get().reason() + ": "
                                        + end.get().message());
                out.flush();
                return end.get().success() ? 0 : 1;
            }
            Thread.sleep(Duration.ofSeconds(Math.max(1, intervalSeconds)).toMillis());
        }
    }

    private List<NodeReport> reports(List<ConfextNode> nodes) {
        return nodes.stream().flatMap(n -> NodeReport.of(n, name).stream()).toList();
    }
}
