package io.confext.agent.apply;

import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.api.v1alpha1.BundlePhase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drift: what changed on the host since the agent proved a version, found by comparing what it expects (the verified
 * revision's manifest, the drop-ins it writes) with what it observes. Pure; {@link DriftCheck} gathers the facts.
 */
public final class DriftRules {
    private DriftRules() {}

    /**
     * @param entryHostPath  the version's {@code .v/} entry as the host names it (for the report)
     * @param expected       the entry as the verified revision makes it; empty when the version is not in {@code .v/}
     * @param observed       the entry as it is now
     * @param expectedDropIns each unit's drop-in as the agent writes it, by unit
     * @param currentDropIns  each unit's drop-in as it is now (empty: none)
     * @param dropInHostPaths where each unit's drop-in is, by unit
     */
    public record Input(
            BundleRecord journalled,
            String digest,
            String version,
            String entryHostPath,
            Optional<ContentManifest> expected,
            ContentManifest observed,
            Map<String, String> expectedDropIns,
            Map<String, Optional<String>> currentDropIns,
            Map<String, String> dropInHostPaths) {}

    /**
     * @param changes       one line per changed path, with the host path (empty: no drift)
     * @param contentDrifted the version's entry differs from the revision: it is staged again and its units activated
     * @param proven        the changes concern a version the agent had proven (a drift to report, not a leftover)
     */
    public record Drift(List<String> changes, boolean contentDrifted, boolean proven) {
        public boolean found() {
            return !changes.isEmpty();
        }
    }

    public static Drift judge(Input in) {
        List<String> changes = new ArrayList<>();
        boolean content = false;
        if (in.expected().isPresent()) {
            for (String d : in.expected().get().differences(in.observed())) {
                int cut = d.indexOf(' ');
                changes.add(d.substring(0, cut) + " " + in.entryHostPath() + d.substring(cut + 1));
                content = true;
            }
        }
        boolean proven = wasProven(in);
        if (proven) { // otherwise a different drop-in is the change this pass makes, not drift
            in.expectedDropIns().forEach((unit, want) -> {
                Optional<String> now = in.currentDropIns().getOrDefault(unit, Optional.empty());
                String where = in.dropInHostPaths().getOrDefault(unit, unit + ".d/" + DropIn.FILE_NAME);
                if (now.isEmpty() && !want.isEmpty()) {
                    changes.add("missing " + where);
                } else if (!now.orElse("").equals(want)) {
                    changes.add("changed " + where);
                }
            });
        }
        return new Drift(List.copyOf(changes), content, proven);
    }

    /** The same content, idle and Active or Degraded with this version: proven here, and the host should show it. */
    static boolean wasProven(Input in) {
        return wasProven(in.journalled(), in.digest(), in.version());
    }

    static boolean wasProven(BundleRecord r, String digest, String version) {
        return r != null
                && r.outcome() != null
                && r.step() == BundleStep.IDLE
                && digest.equals(r.digest())
                && (r.outcome().phase() == BundlePhase.Active || r.outcome().phase() == BundlePhase.Degraded)
                && version.equals(r.outcome().activeVersion());
    }

    /** The words of a Drifted status: what changed, and that it was repaired from the revision. */
    public static String message(Drift d, String rest) {
        return "drift repaired from the verified revision: " + String.join(", ", d.changes()) + "; " + rest;
    }
}
