package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.state.BundleRecord;
import io.confext.api.v1alpha1.Scope;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Before a pass activates a directory version that is already in {@code .v/}: gathers what {@link DriftRules} compares
 * (the entry against the revision's content, the units' drop-ins against what the agent writes) and puts a drifted
 * entry back from the revision. Never from the drifted files, never by quarantine: the version is still the good one,
 * only its copy on the host changed.
 */
final class DriftCheck {
    private final DropInStore dropIns;
    private final Path staging;

    DriftCheck(DropInStore dropIns, Path staging) {
        this.dropIns = dropIns;
        this.staging = staging;
    }

    /**
     * @param expectedDropIn the drop-in the agent writes for a unit, as the journal stands
     * @param entryHostPath  the bundle's {@code .v/} as the host names it (ends with '/')
     */
    DriftRules.Drift observe(
            DesiredBundleContent d,
            BundleRecord journalled,
            StagedVersion wanted,
            VersionsDirectory dir,
            String versionsHostPath,
            Function<String, String> expectedDropIn) {
        String version = d.content().version();
        Optional<ContentManifest> expected =
                wanted instanceof DirectoryVersion dv && dir.versions().contains(version) && !dir.isImage(version)
                        ? Optional.of(ContentManifest.of(dv))
                        : Optional.empty();
        ContentManifest observed = expected.isPresent()
                ? EntryScanner.scan(dir.entry(version)).releaseNamedFor(dir.name(), dir.bundle())
                : new ContentManifest(Map.of());
        Map<String, String> want = new LinkedHashMap<>();
        Map<String, Optional<String>> now = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        if (d.content().scope() == Scope.Service) {
            for (String unit : d.content().units()) {
                want.put(unit, expectedDropIn.apply(unit));
                now.put(unit, dropIns.current(unit));
                where.put(unit, dropIns.hostPath(unit));
            }
        }
        return DriftRules.judge(new DriftRules.Input(
                journalled,
                d.digest(),
                version,
                versionsHostPath + wanted.entryName() + "/",
                expected,
                observed,
                want,
                now,
                where));
    }

    /**
     * Writes the version again from the revision under staging/, then swaps it in: the drifted entry is renamed aside
     * and deleted, the fresh one renamed in. A unit started in between would find the older kept version (or none),
     * which is why the caller journals ACTIVATING first: its units are activated and proven again either way.
     */
    void restage(VersionsDirectory dir, StagedVersion wanted) {
        Path entry = dir.entry(wanted.version());
        Path fresh = staging.resolve(wanted.entryName() + "." + UUID.randomUUID());
        Path aside = staging.resolve(wanted.entryName() + ".drifted." + UUID.randomUUID());
        wanted.writeTo(fresh);
        HostFiles.renameAtomically(entry, aside);
        HostFiles.renameAtomically(fresh, entry);
        HostFiles.deleteTree(aside);
    }
}
