package io.confext.agent.apply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.confext.api.version.UapiVersion;

/** A bundle's {@code <bundle>.v/} directory: the entries systemd picks the newest of. */
public record VersionsDirectory(Path dir, String bundle) {
    /** Versions present, newest first (entries named {@code <bundle>_<version>} or with a {@code .raw} suffix). */
    public List<String> versions() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(bundle + "_") && !n.startsWith(".")) {
                    String v = n.substring(bundle.length() + 1);
                    out.add(v.endsWith(".raw") ? v.substring(0, v.length() - 4) : v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(UapiVersion.ORDER.reversed());
        return out;
    }

    public Path entry(String version) {
        Path raw = dir.resolve(bundle + "_" + version + ".raw");
        return Files.exists(raw) ? raw : dir.resolve(bundle + "_" + version);
    }

    public boolean isEmpty() {
        return versions().isEmpty();
    }
}
