package io.confext.agent.apply;

import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * At the agent's start, before any API call: what of the host the agent can put back from its own journal and the
 * verified content already in {@code .v/}, so that a reboot with the API unreachable does not leave units without
 * the configuration they were proven with. Pure: the facts are gathered, and the plan acted on, by
 * {@link LocalRestore}.
 *
 * <p>Only what was proven is restored, and nothing moves: a bundle is restored when its journal says it is idle and
 * Active with a version it proved, that version is the newest entry of its {@code .v/} (so the units see the same
 * version again, never another), and the entry is byte for byte what the agent verified (its recorded manifest) and
 * still passes the node's own checks. Everything else is left for the first pass with the API.
 */
public final class RestorePlanner {
    private RestorePlanner() {}

    /**
     * One journalled bundle and what is on disk for it.
     *
     * @param versionsInDir the versions in its {@code .v/} now, newest first
     * @param proven        the manifest recorded when the active version was verified (empty: none)
     * @param observed      the active version's entry as it is now
     * @param nodeRefusal   why the node's own checks refuse the entry now (empty: they pass)
     * @param attachment    how its units' drop-in names it (service scope)
     */
    public record BundleFacts(
            BundleRecord record,
            List<String> versionsInDir,
            Optional<ContentManifest> proven,
            ContentManifest observed,
            Optional<String> nodeRefusal,
            DropIn.Attachment attachment) {}

    /** @param currentDropIns each unit's drop-in as it is now (empty: none) */
    public record Input(
            List<BundleFacts> bundles, Map<String, Optional<String>> currentDropIns, Optional<String> imagePolicy) {}

    public record Restored(String bundle, String version, Scope scope, List<String> units) {}

    public record Skipped(String bundle, String why) {}

    /** @param dropIns the drop-ins to write, by unit (content as {@link DropIn#render} gives it) */
    public record Plan(List<Restored> restored, List<Skipped> skipped, Map<String, String> dropIns) {}

    public static Plan plan(Input in) {
        List<Restored> restored = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Map<String, List<DropIn.Attachment>> byUnit = new LinkedHashMap<>();
        Set<String> unitsWithSkipped = new LinkedHashSet<>();
        for (BundleFacts f : in.bundles()) {
            Optional<String> why = refusal(f);
            BundleRecord r = f.record();
            if (why.isPresent()) {
                skipped.add(new Skipped(r.name(), why.get()));
                if (r.scope() == Scope.Service) {
                    unitsWithSkipped.addAll(r.units());
                }
                continue;
            }
            restored.add(new Restored(r.name(), r.outcome().activeVersion(), r.scope(), r.units()));
            if (r.scope() == Scope.Service) {
                r.units()
                        .forEach(u -> byUnit.computeIfAbsent(u, k -> new ArrayList<>())
                                .add(f.attachment()));
            }
        }
        Map<String, String> dropIns = new LinkedHashMap<>();
        byUnit.forEach((unit, attached) -> {
            String want = DropIn.render(attached, in.imagePolicy());
            Optional<String> now = in.currentDropIns().getOrDefault(unit, Optional.empty());
            // a unit that also carries a bundle not restored: only a lost drop-in is written, never one taking that off
            boolean mayRewrite = !unitsWithSkipped.contains(unit) || now.isEmpty();
            if (!now.orElse("").equals(want) && mayRewrite) {
                dropIns.put(unit, want);
            }
        });
        return new Plan(restored, skipped, dropIns);
    }

    private static Optional<String> refusal(BundleFacts f) {
        BundleRecord r = f.record();
        BundleRecord.Outcome o = r.outcome();
        if (o == null || o.phase() != BundlePhase.Active || o.activeVersion() == null) {
            return Optional.of("not Active here (" + (o == null ? "no outcome" : o.phase()) + ")");
        }
        if (r.step() != BundleStep.IDLE) {
            return Optional.of("a step was in flight (" + r.step().word() + "): the pass with the API finishes it");
        }
        String v = o.activeVersion();
        if (!r.goodVersions().contains(v)) {
            return Optional.of("version " + v + " is not among the versions proven here");
        }
        if (f.versionsInDir().isEmpty() || !f.versionsInDir().get(0).equals(v)) {
            return Optional.of("the newest entry of its .v/ is "
                    + (f.versionsInDir().isEmpty() ? "none" : f.versionsInDir().get(0)) + ", not the proven " + v
                    + ": restoring would move its units to another version");
        }
        if (f.proven().isEmpty()) {
            return Optional.of("no record of the verified content of version " + v);
        }
        List<String> changed = f.proven().get().differences(f.observed());
        if (!changed.isEmpty()) {
            return Optional.of("version " + v + " changed since it was verified (" + String.join(", ", changed) + ")");
        }
        return f.nodeRefusal().map(n -> "the node's checks refuse version " + v + ": " + n);
    }
}
