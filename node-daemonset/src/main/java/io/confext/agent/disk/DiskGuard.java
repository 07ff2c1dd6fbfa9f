package io.confext.agent.disk;

import io.confext.agent.apply.Quarantine;
import io.confext.agent.apply.VersionsDirectory;
import io.confext.agent.fetch.RoomCheck;
import io.confext.agent.host.HostFiles;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The node's disk, guarded: before a download or a staged version is written, is there room for it beside the margin
 * ({@link DiskRules#admit})? After a pass, do the stored versions fit under the cap, and if not, which go
 * ({@link DiskRules#evict})? This class measures and deletes; the rules decide.
 */
public final class DiskGuard {
    private static final Logger LOG = Logger.getLogger(DiskGuard.class);
    /** A bundle's newest versions in {@code .v/}: the active one and the one a failure rolls back to. */
    static final int PROTECTED_NEWEST = 2;

    private final DiskSettings settings;
    /** Where writes land first (staging/, beside bundles/ and quarantine/ on one file system), as the agent opens it. */
    private final Supplier<Path> staging;
    /** The same, as a host path, for the messages. */
    private final String stagingHostPath;

    private final Quarantine quarantine;

    public DiskGuard(DiskSettings settings, Supplier<Path> staging, String stagingHostPath, Quarantine quarantine) {
        this.settings = settings;
        this.staging = staging;
        this.stagingHostPath = stagingHostPath;
        this.quarantine = quarantine;
    }

    /** Whether {@code bytes} more may be written under staging/; {@code what} names it in a refusal. */
    public DiskRules.Admission admit(String what, long bytes) {
        return DiskRules.admit(
                what, bytes, DiskSpace.usableBytes(staging.get()), settings.minFreeBytes(), stagingHostPath);
    }

    /**
     * The same check for a download, asked once its size is known. Free space that cannot be read refuses nothing: the
     * download goes on, and a write that then finds the disk full fails with its own reason.
     */
    public RoomCheck roomFor(String what) {
        return bytes -> {
            try {
                return admit(what, bytes) instanceof DiskRules.Admission.Refuse r
                        ? Optional.of(r.message())
                        : Optional.empty();
            } catch (UncheckedIOException e) {
                LOG.warnf(
                        "The free space for %s could not be read (%s); downloading without the check",
                        what, e.getMessage());
                return Optional.empty();
            }
        };
    }

    /**
     * One bundle's kept versions, as retention sees them.
     *
     * @param active the version the journal says the units run with (null: none); protected with the newest two
     */
    public record Bundle(VersionsDirectory dir, String active) {}

    /**
     * Deletes stored versions until every bundle's kept and quarantined ones use at most the cap; nothing without a
     * cap. A version another bundle's pass is writing is not in {@code .v/} yet (staging/), so it is never counted.
     *
     * @return what was evicted, per bundle, in the order it went
     */
    public Map<String, List<StoredVersion>> enforceCap(List<Bundle> bundles) {
        if (!settings.capped()) {
            return Map.of();
        }
        Map<StoredVersion, List<Path>> where = new LinkedHashMap<>();
        for (Bundle b : bundles) {
            List<String> versions = b.dir().versions(); // newest first
            Set<String> kept = new HashSet<>(versions.subList(0, Math.min(PROTECTED_NEWEST, versions.size())));
            if (b.active() != null) {
                kept.add(b.active());
            }
            for (String v : versions) {
                List<Path> files = b.dir().entryFiles(v);
                where.put(
                        new StoredVersion(
                                b.dir().bundle(),
                                files.get(0).getFileName().toString(),
                                StoredVersion.Kind.KEPT,
                                kept.contains(v),
                                VersionStorage.bytes(files),
                                VersionStorage.age(files.get(0))),
                        files);
            }
        }
        for (String name : quarantine.names()) {
            Path dir = quarantine.bundleDir(name);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            for (Quarantine.Held h : quarantine.held(name)) {
                if (!h.partial()) { // a partial one is finished by the bundle's next pass (Quarantine.recover)
                    Path p = dir.resolve(h.dirName());
                    where.put(
                            new StoredVersion(
                                    name,
                                    h.dirName(),
                                    StoredVersion.Kind.QUARANTINED,
                                    false,
                                    VersionStorage.bytes(p),
                                    h.millis()),
                            List.of(p));
                }
            }
        }
        DiskRules.Eviction e = DiskRules.evict(List.copyOf(where.keySet()), settings.maxVersionsBytes());
        Map<String, List<StoredVersion>> out = new LinkedHashMap<>();
        for (StoredVersion s : e.evicted()) {
            for (Path p : where.get(s)) {
                HostFiles.deleteTree(p); // the entry first: out of systemd's sight before its sidecars go
            }
            out.computeIfAbsent(s.bundle(), k -> new ArrayList<>()).add(s);
        }
        if (!e.evicted().isEmpty()) {
            LOG.infof(
                    "The stored versions were above the node's cap of %d bytes: evicted %s",
                    settings.maxVersionsBytes(),
                    e.evicted().stream().map(StoredVersion::name).toList());
        }
        if (!e.underCap()) {
            LOG.warnf(
                    "The active versions and rollback targets alone use %d bytes, above the node's cap of %d bytes"
                            + " (agent.disk.maxVersionsBytes); they are kept",
                    e.bytesLeft(), settings.maxVersionsBytes());
        }
        return out;
    }
}
