package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.api.revision.ResolvedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A directory confext made from inline files: {@code <name>_<version>/etc/...} plus its extension-release
 * {@code extension-release.<name>}. The name is the bundle's, except for host scope, where it carries the priority
 * ({@link HostStackOrder#directoryName}): systemd merges an entry only under the name of its {@code .v/} directory
 * and the release file inside.
 *
 * @param extensionName the name systemd knows the entry by
 */
public record DirectoryVersion(String bundle, String version, List<ResolvedFile> files, String extensionName)
        implements StagedVersion {
    public DirectoryVersion(String bundle, String version, List<ResolvedFile> files) {
        this(bundle, version, files, bundle);
    }

    public DirectoryVersion {
        files = List.copyOf(files);
        for (ResolvedFile f : files) {
            validatePath(f.path());
            parseMode(f.mode());
        }
    }

    /** The same version under another extension name (a host-scope bundle's priority name). */
    public DirectoryVersion named(String name) {
        return new DirectoryVersion(bundle, version, files, name);
    }

    @Override
    public String entryName() {
        return extensionName + "_" + version;
    }

    @Override
    public String extensionRelease() {
        return ExtensionRelease.render(bundle, version);
    }

    @Override
    public Map<String, String> expectedFiles() {
        Map<String, String> m = new LinkedHashMap<>();
        files.forEach(f -> m.put(f.path(), f.content()));
        return m;
    }

    @Override
    public void writeTo(Path target) {
        try {
            Files.createDirectories(target.resolve("etc/extension-release.d"));
            for (ResolvedFile f : files) {
                Path p = target.resolve("etc").resolve(f.path());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.content());
                Files.setPosixFilePermissions(p, parseMode(f.mode()));
                HostFiles.fsyncFile(p);
            }
            Path rel = target.resolve(ExtensionRelease.path(extensionName));
            Files.writeString(rel, extensionRelease());
            HostFiles.fsyncFile(rel);
            try (var walk = Files.walk(target)) {
                for (Path d : walk.filter(Files::isDirectory).toList()) {
                    Files.setPosixFilePermissions(d, PosixFilePermission755.SET);
                    HostFiles.fsyncDirectory(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + entryName() + " at " + target + ": " + e.getMessage(), e);
        }
    }

    /** Paths are relative to /etc; the API validates them too, this is the last line before the host. */
    static void validatePath(String path) {
        if (path.isEmpty()
                || path.startsWith("/")
                || path.contains("//")
                || path.endsWith("/")
                || List.of(path.split("/")).stream().anyMatch(s -> s.equals("..") || s.equals("."))
                || path.equals("os-release")
                || path.startsWith("extension-release.d/")) {
            throw new IllegalArgumentException("file path '" + path + "' is not a plain path relative to /etc"
                    + " (no leading '/', no '..', no '//', no os-release or extension-release.d)");
        }
    }

    static Set<PosixFilePermission> parseMode(String mode) {
        if (!mode.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("file mode '" + mode + "' must be an octal string 0000..0777");
        }
        int bits = Integer.parseInt(mode, 8);
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < order.length; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }

    private static final class PosixFilePermission755 {
        static final Set<PosixFilePermission> SET = parseMode("0755");
    }
}
