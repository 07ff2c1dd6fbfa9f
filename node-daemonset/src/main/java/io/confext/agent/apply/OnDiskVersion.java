package io.confext.agent.apply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A directory version already in a {@code .v/} directory (a kept good version), read back so that the proof after
 * a local rollback compares against its real content.
 */
public record OnDiskVersion(
        String bundle, String version, String extensionRelease, Map<String, String> expectedFiles, String extensionName)
        implements StagedVersion {
    public static OnDiskVersion load(Path entry, String bundle, String version) {
        return load(entry, bundle, bundle, version);
    }

    /** @param extensionName the name of its {@code .v/} directory (see {@link StagedVersion#extensionName()}) */
    public static OnDiskVersion load(Path entry, String bundle, String extensionName, String version) {
        try {
            Path etc = entry.resolve("etc");
            String rel = Files.readString(entry.resolve(ExtensionRelease.path(extensionName)));
            Map<String, String> files = new LinkedHashMap<>();
            try (var walk = Files.walk(etc)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String relPath = etc.relativize(p).toString();
                    if (!relPath.startsWith("extension-release.d/")) {
                        files.put(relPath, Files.readString(p));
                    }
                }
            }
            return new OnDiskVersion(bundle, version, rel, files, extensionName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kept version " + entry + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String entryName() {
        return extensionName + "_" + version;
    }

    @Override
    public void writeTo(Path target) {
        throw new UnsupportedOperationException("an on-disk version is already in place");
    }
}
