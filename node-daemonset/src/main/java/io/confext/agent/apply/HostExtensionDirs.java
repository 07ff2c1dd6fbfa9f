package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.state.StateLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The host-scope bundles' {@code .v/} directories in {@code /var/lib/confexts}, under the names that order them (see
 * {@link HostStackOrder}), and the rename when a bundle's name changes with its priority.
 *
 * <p>The rename is crash-safe and never leaves the host's /etc without the bundle's last good files: the versions are
 * copied under the new name (entries and release files renamed) beside staging and renamed into the search path
 * whole; the old directory is renamed out of it into {@link StateLayout#retired()} (its layer stays merged: the
 * overlay holds the directory, not its path); a refresh merges the new name; only then are retired directories
 * deleted. A crash anywhere leaves the old name, the new one or both merged, each with the same files: the next pass
 * finishes the rename.
 */
final class HostExtensionDirs {
    private final StateLayout layout;
    private final Runnable refresh;

    /** @param refresh systemd-confext refresh as {@link HostConfextRefresh} runs it */
    HostExtensionDirs(StateLayout layout, Runnable refresh) {
        this.layout = layout;
        this.refresh = refresh;
    }

    /** The names under which {@code bundle} has a {@code .v/} directory, sorted. */
    List<String> namesOf(String bundle) {
        Path confexts = layout.agentPath(StateLayout.HOST_CONFEXT_DIR);
        if (!Files.isDirectory(confexts)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (var s = Files.list(confexts)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".v")
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && HostStackOrder.names(n.substring(0, n.length() - 2), bundle)) {
                    out.add(n.substring(0, n.length() - 2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + confexts + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** The bundle's directory as it is on the host (after an interrupted rename: the first name); plain when none. */
    VersionsDirectory current(String bundle) {
        List<String> names = namesOf(bundle);
        return dir(bundle, names.isEmpty() ? bundle : names.get(0));
    }

    VersionsDirectory dir(String bundle, String name) {
        return new VersionsDirectory(layout.agentPath(layout.hostVersionsHostPath(name)), bundle, name);
    }

    /**
     * Makes {@code wanted} the bundle's only name on the host, moving its versions there when they are under another
     * one (see the class comment), and deletes retired directories once a refresh has unmerged them.
     *
     * @return the bundle's directory under {@code wanted} (it may not exist yet: staging creates it)
     */
    VersionsDirectory settle(String bundle, String wanted) {
        List<String> present = namesOf(bundle);
        VersionsDirectory target = dir(bundle, wanted);
        if (!present.contains(wanted) && !present.isEmpty()) {
            VersionsDirectory from = dir(bundle, present.get(0));
            Path tmp = layout.staging().resolve(wanted + ".v." + UUID.randomUUID());
            copyRenamed(from, tmp, wanted);
            HostFiles.renameAtomically(tmp, target.dir());
        }
        for (String other : present) {
            if (!other.equals(wanted)) {
                HostFiles.renameAtomically(
                        dir(bundle, other).dir(), layout.retired().resolve(other + ".v." + UUID.randomUUID()));
            }
        }
        deleteRetired();
        return target;
    }

    /** Retired directories (of this pass or one a crash interrupted): refreshed out of /etc, then deleted. */
    void deleteRetired() {
        Path retired = layout.retired();
        if (!Files.isDirectory(retired)) {
            return;
        }
        try (var s = Files.list(retired)) {
            if (s.findAny().isEmpty()) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + retired + ": " + e.getMessage(), e);
        }
        refresh.run();
        HostFiles.deleteTree(retired);
    }

    /** Copies every entry of {@code from} to {@code to}, named {@code <name>_<version>}, release files renamed too. */
    private static void copyRenamed(VersionsDirectory from, Path to, String name) {
        try {
            Files.createDirectories(to);
            try (var s = Files.list(from.dir())) {
                for (Path entry : s.toList()) {
                    String n = entry.getFileName().toString();
                    if (!n.startsWith(from.name() + "_")) {
                        continue; // not one of its versions: not carried over
                    }
                    Path copy = to.resolve(name + n.substring(from.name().length()));
                    copyTree(entry, copy);
                    Path release = copy.resolve(ExtensionRelease.path(from.name()));
                    if (Files.isRegularFile(release, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(release, copy.resolve(ExtensionRelease.path(name)));
                        HostFiles.fsyncDirectory(release.getParent());
                    }
                }
            }
            HostFiles.fsyncDirectory(to);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot copy " + from.dir() + " to " + to + " under the name " + name + ": " + e.getMessage(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                if (Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS)) {
                    HostFiles.fsyncFile(q);
                }
            }
        }
        try (var walk = Files.walk(to)) {
            for (Path d : walk.filter(Files::isDirectory).toList()) {
                HostFiles.fsyncDirectory(d);
            }
        }
    }
}
