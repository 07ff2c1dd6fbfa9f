package io.confext.kubectl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.confext.api.v1alpha1.ConfextBundle;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "undo",
        description = {
            "Go back to an earlier version, like kubectl rollout undo: writes the confext.io/undo"
                    + " annotation, which the operator consumes (it sets the spec back to that revision's content and clears the"
                    + " annotation; docs/rollouts.md#undo).",
            "Without --to-version: the newest other version in status.history."
        })
final class UndoCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "BUNDLE")
    String name;

    @Option(names = "--to-version", paramLabel = "VERSION", description = "A version of status.history.")
    String toVersion;

    @Override
    int run(Cluster cluster, PrintWriter out) throws JsonProcessingException {
        ConfextBundle bundle = cluster.bundle(name);
        var history = bundle.getStatus() == null || bundle.getStatus().getHistory() == null
                ? List.<io.confext.api.v1alpha1.VersionHistoryEntry>of()
                : bundle.getStatus().getHistory();
        UndoCheck.Result r =
                UndoCheck.check(toVersion, history, bundle.getSpec().getVersion());
        if (r.version().isEmpty()) {
            throw new CommandFailure("confextbundle " + name + ": cannot undo: " + r.refusal());
        }
        String value = toVersion == null ? UndoCheck.PREVIOUS : toVersion;
        cluster.mergePatch(
                name,
                new ObjectMapper()
                        .writeValueAsString(
                                Map.of("metadata", Map.of("annotations", Map.of(Cluster.UNDO_ANNOTATION, value)))));
        out.println("confextbundle " + name + ": undo to " + r.version().get() + " requested ("
                + Cluster.UNDO_ANNOTATION + "=" + value
                + "); the operator sets the spec back and rolls it out: kubectl confext status " + name + " --watch");
        out.flush();
        return 0;
    }
}
