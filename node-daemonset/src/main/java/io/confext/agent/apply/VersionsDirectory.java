package io.confext.agent.apply;

import io.confext.agent.host.HostPaths;
import io.confext.api.version.UapiVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle's {@code <name>.v/} directory: the entries {@code <name>_<version>} systemd picks the newest of. The name
 * is the bundle's, except for a host-scope directory bundle (see {@link HostStackOrder}).
 */
public record VersionsDirectory(Path dir, String bundle, String name) {
    public VersionsDirectory(Path dir, String bundle) {
        this(dir, bundle, bundle);
    }

    /**
     * Versions present, newest first: directories {@code <name>_<version>} and image files
     * {@code <name>_<version>.raw}. A naked image's sidecars ({@code .verity}, ...) are not versions.
     * An entry that is a symbolic link is refused ({@link HostPaths.Refused}): the agent only puts versions here by
     * rename, so a link is not one of its versions, and systemd would mount whatever it points at.
     */
    public List<String> versions() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(name + "_") && !n.startsWith(".")) {
                    HostPaths.refuseLink(p);
                    String v = n.substring(name.length() + 1);
                    if (Files.isDirectory(p)) {
                        out.add(v);
                    } else if (v.endsWith(".raw")) {
                        out.add(v.substring(0, v.length() - 4));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(UapiVersion.ORDER.reversed());
        return out;
    }

    public Path entry(String version) {
        Path raw = dir.resolve(name + "_" + version + ".raw");
        return Files.exists(raw) ? raw : dir.resolve(name + "_" + version);
    }

    /** Whether that version is an image file (mounted with ExtensionImages=) rather than a directory. */
    public boolean isImage(String version) {
        return Files.isRegularFile(dir.resolve(name + "_" + version + ".raw"));
    }

    /** The entry and, for a naked image, its sidecars: what is moved or deleted together. */
    public List<Path> entryFiles(String version) {
        Path e = entry(version);
        List<Path> out = new ArrayList<>(List.of(e));
        if (isImage(version)) {
            ImageVersion.sidecarsOf(e).stream().filter(Files::exists).forEach(out::add);
        }
        return out;
    }

    public boolean isEmpty() {
        return versions().isEmpty();
    }
}
