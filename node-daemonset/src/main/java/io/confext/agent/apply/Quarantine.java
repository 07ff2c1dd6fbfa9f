package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.host.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where versions go that failed their proof or were superseded: {@code quarantine/<bundle>/<entry>.<why>.<millis>/},
 * one directory per quarantined version holding its entry and, for a naked image, its sidecars under their own names.
 * Only the newest {@link #KEEP} per bundle are kept, and a bundle's quarantine goes when the bundle goes, so a bundle
 * that keeps failing cannot fill the host's disk.
 *
 * <p>Crash safety: a version is first moved into {@code <entry>.<why>.<millis>.partial/} - its entry (the {@code .raw}
 * or the directory) first, which takes the version out of systemd's sight in one rename, then the sidecars - and the
 * directory is then renamed to its final name. A crash in between leaves a {@code .partial} directory that
 * {@link #recover} finishes on the next run (under the host lock), so no version is ever left half in {@code .v/}.
 * Every move is a rename on one file system.
 */
public final class Quarantine {
    /** Quarantined versions kept per bundle: enough to look at a flapping bundle's last failures. */
    public static final int KEEP = 3;

    static final String PARTIAL = ".partial";

    /** Looked up at every use: the agent's layout checks quarantine/ for planted links each time. */
    private final Supplier<Path> root;

    private final LongSupplier clock;

    public Quarantine(Path root) {
        this(() -> root, System::currentTimeMillis);
    }

    public Quarantine(Supplier<Path> root) {
        this(root, System::currentTimeMillis);
    }

    Quarantine(Path root, LongSupplier clock) {
        this(() -> root, clock);
    }

    Quarantine(Supplier<Path> root, LongSupplier clock) {
        this.root = root;
        this.clock = clock;
    }

    /** One quarantined version's directory name, parsed: {@code <entry>.<why>.<millis>[.partial]}. */
    public record Held(String entry, String why, long millis, boolean partial) {
        public String dirName() {
            return entry + "." + why + "." + millis + (partial ? PARTIAL : "");
        }

        Held complete() {
            return new Held(entry, why, millis, false);
        }
    }

    // ------------------------------------------------------------------ pure naming and retention rules

    /** A reason as it may stand in a name: letters, digits and '-' only, so that names parse back unambiguously. */
    static String why(String reason) {
        String s = reason == null ? "" : reason.replaceAll("[^A-Za-z0-9-]", "-");
        return s.isEmpty() ? "unknown" : s;
    }

    /** Parses a name in a bundle's quarantine directory; empty for anything else (left alone). */
    static Optional<Held> parse(String name) {
        boolean partial = name.endsWith(PARTIAL);
        String n = partial ? name.substring(0, name.length() - PARTIAL.length()) : name;
        int lastDot = n.lastIndexOf('.');
        if (lastDot <= 0) {
            return Optional.empty();
        }
        int whyDot = n.lastIndexOf('.', lastDot - 1);
        if (whyDot <= 0) {
            return Optional.empty();
        }
        String millis = n.substring(lastDot + 1);
        String why = n.substring(whyDot + 1, lastDot);
        if (millis.isEmpty()
                || !millis.chars().allMatch(Character::isDigit)
                || millis.length() > 18
                || why.isEmpty()
                || !why.equals(why(why))) {
            return Optional.empty();
        }
        return Optional.of(new Held(n.substring(0, whyDot), why, Long.parseLong(millis), partial));
    }

    /** Complete quarantined versions beyond the newest {@code keep} (newest: latest millis, then name): to delete. */
    static List<Held> beyond(List<Held> held, int keep) {
        List<Held> complete =
                new ArrayList<>(held.stream().filter(h -> !h.partial()).toList());
        complete.sort(Comparator.comparingLong(Held::millis)
                .thenComparing(Held::dirName)
                .reversed());
        return complete.size() <= keep ? List.of() : List.copyOf(complete.subList(keep, complete.size()));
    }

    // ------------------------------------------------------------------ on the host

    /** A bundle's quarantine directory: the agent's own, so a link planted there is refused, never followed. */
    public Path bundleDir(String bundle) {
        Path dir = root.get().resolve(bundle);
        HostPaths.refuseLink(dir);
        return dir;
    }

    /** What a bundle has in quarantine, newest first (partial ones included). */
    public List<Held> held(String bundle) {
        Path dir = bundleDir(bundle);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Held> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    parse(p.getFileName().toString()).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparingLong(Held::millis)
                .thenComparing(Held::dirName)
                .reversed());
        return out;
    }

    /**
     * Moves a version out of its {@code .v/} directory into quarantine, then drops what is beyond the newest
     * {@link #KEEP}. Nothing happens when the version is not there.
     *
     * @return the quarantined version's directory, empty when there was nothing to move
     */
    public Optional<Path> put(VersionsDirectory dir, String version, String reason) {
        Path entry = dir.entry(version);
        if (!Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        List<Path> files = dir.entryFiles(version); // the entry first
        Path bundleDir = bundleDir(dir.bundle());
        long millis = clock.getAsLong();
        Held h;
        do {
            h = new Held(entry.getFileName().toString(), why(reason), millis++, true);
        } while (Files.exists(bundleDir.resolve(h.dirName()))
                || Files.exists(bundleDir.resolve(h.complete().dirName())));
        Path partial = bundleDir.resolve(h.dirName());
        try {
            Files.createDirectories(partial);
            HostFiles.fsyncDirectory(bundleDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + partial + ": " + e.getMessage(), e);
        }
        for (Path p : files) {
            HostFiles.renameAtomically(p, partial.resolve(p.getFileName()));
        }
        Path done = bundleDir.resolve(h.complete().dirName());
        HostFiles.renameAtomically(partial, done);
        prune(dir.bundle());
        return Optional.of(done);
    }

    /**
     * Finishes what a crash interrupted in a bundle's {@code .v/} directory: a quarantine whose entry had already
     * left takes the sidecars still there with it, one whose entry had not left yet is undone (the version stays);
     * sidecars whose image is not there (an interrupted quarantine or move in) are deleted.
     */
    public void recover(VersionsDirectory dir) {
        Path bundleDir = bundleDir(dir.bundle());
        for (Held h : held(dir.bundle())) {
            if (!h.partial()) {
                continue;
            }
            Path partial = bundleDir.resolve(h.dirName());
            Path entry = dir.dir().resolve(h.entry());
            if (Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                HostFiles.deleteTree(partial); // the crash came before the entry moved: nothing of it is in there
                continue;
            }
            if (h.entry().endsWith(".raw")) {
                for (Path sidecar : ImageVersion.sidecarsOf(entry)) {
                    if (Files.exists(sidecar)) {
                        HostFiles.renameAtomically(sidecar, partial.resolve(sidecar.getFileName()));
                    }
                }
            }
            HostFiles.renameAtomically(partial, bundleDir.resolve(h.complete().dirName()));
        }
        for (Path orphan : orphanSidecars(dir)) {
            HostFiles.deleteTree(orphan);
        }
        prune(dir.bundle());
    }

    /** Sidecar files in a {@code .v/} directory whose image file is not there. */
    static List<Path> orphanSidecars(VersionsDirectory dir) {
        if (!Files.isDirectory(dir.dir())) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir.dir())) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(dir.name() + "_")
                        || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                // longest suffix first: ".roothash.p7s" before ".roothash"
                ImageVersion.SIDECARS.stream()
                        .sorted(Comparator.comparingInt(String::length).reversed())
                        .filter(n::endsWith)
                        .findFirst()
                        .ifPresent(suffix -> {
                            Path raw = p.resolveSibling(n.substring(0, n.length() - suffix.length()) + ".raw");
                            if (!Files.exists(raw, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                                out.add(p);
                            }
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.dir() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Deletes a bundle's quarantined versions beyond the newest {@link #KEEP}. */
    public void prune(String bundle) {
        for (Held old : beyond(held(bundle), KEEP)) {
            HostFiles.deleteTree(bundleDir(bundle).resolve(old.dirName()));
        }
    }

    /** Deletes a bundle's whole quarantine: the bundle is no longer managed here. */
    public void forget(String bundle) {
        HostFiles.deleteTree(bundleDir(bundle));
    }

    /**
     * Everything directly under quarantine/: the bundles' directories, and entries an agent before bounded quarantine
     * left there flat ({@code <entry>.<why>.<millis>}, never a bundle's name since those hold a '_').
     */
    public List<String> names() {
        Path root = this.root.get();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }
}
