package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.host.OsRelease;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Reads /etc as a given host process sees it: {@code /proc/<hostpid>/root/proc/<pid>/root/etc/...}, i.e. through
 * the host's PID namespace into that process's mount namespace. This is the proof: what the main process of a unit
 * really sees, not what the agent wrote.
 */
public final class ViewReader {
    private final HostFiles host;

    public ViewReader(HostFiles host) {
        this.host = host;
    }

    /** The root of what process {@code pid} (a PID in the host's namespace; 1 = the host itself) sees. */
    public Path rootOf(long pid) {
        return host.resolve("/proc/" + pid + "/root");
    }

    /**
     * The names of the extensions process {@code pid} sees ({@code /etc/extension-release.d/extension-release.NAME}),
     * empty when it sees none or has exited.
     */
    public java.util.Set<String> extensionNames(long pid) {
        Path dir = rootOf(pid).resolve(ExtensionRelease.DIRECTORY);
        try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(dir)) {
            return entries.map(e -> e.getFileName().toString())
                    .filter(n -> n.startsWith(ExtensionRelease.FILE_PREFIX))
                    .map(n -> n.substring(ExtensionRelease.FILE_PREFIX.length()))
                    .collect(java.util.stream.Collectors.toSet());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return java.util.Set
                    .of(); // no such directory (no extension, no os extension-release.d), or the process is gone
        }
    }

    /**
     * The bundle's release file as the process sees it: under the expected version's extension name; without one,
     * under the bundle's name or a host-scope priority name of it ({@link HostStackOrder#names}).
     */
    private Optional<String> release(long pid, String bundle, StagedVersion expected) {
        Path root = rootOf(pid);
        if (expected != null) {
            return HostFiles.readString(root.resolve(ExtensionRelease.path(expected.extensionName())));
        }
        Optional<String> plain = HostFiles.readString(root.resolve(ExtensionRelease.path(bundle)));
        if (plain.isPresent()) {
            return plain;
        }
        return extensionNames(pid).stream()
                .filter(n -> HostStackOrder.names(n, bundle))
                .sorted(java.util.Comparator.reverseOrder()) // the topmost, should two names be merged at once
                .findFirst()
                .flatMap(n -> HostFiles.readString(root.resolve(ExtensionRelease.path(n))));
    }

    public SeenVersion seen(long pid, String bundle, StagedVersion expected) {
        Path root = rootOf(pid);
        Optional<String> release = release(pid, bundle, expected);
        if (release.isEmpty()) {
            return SeenVersion.absent();
        }
        // an image built elsewhere need not name its version: its exact extension-release identifies it, the files
        // prove it
        String version = expected != null && release.get().equals(expected.extensionRelease())
                ? expected.version()
                : OsRelease.parse(release.get())
                        .get(ExtensionRelease.VERSION_KEY)
                        .orElse("?");
        if (expected == null || !expected.version().equals(version)) {
            return new SeenVersion(version, true, "sees " + version);
        }
        if (!release.get().equals(expected.extensionRelease())) {
            return new SeenVersion(version, false, "extension-release differs from the staged one");
        }
        for (Map.Entry<String, String> f : expected.expectedFiles().entrySet()) {
            Optional<String> content = HostFiles.readString(root.resolve("etc").resolve(f.getKey()));
            if (content.isEmpty() || !content.get().equals(f.getValue())) {
                return new SeenVersion(
                        version, false, "/etc/" + f.getKey() + (content.isEmpty() ? " is missing" : " differs"));
            }
        }
        return new SeenVersion(
                version,
                true,
                "sees " + version + " with all " + expected.expectedFiles().size() + " files");
    }
}
