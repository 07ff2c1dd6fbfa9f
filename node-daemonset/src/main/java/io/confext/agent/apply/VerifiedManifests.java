package io.confext.agent.apply;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.confext.agent.host.HostFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The manifest of each version the agent proved, kept beside state.json ({@code verified/<bundle>_<version>.json}):
 * what that version's {@code .v/} entry held when it was verified. It is what lets the agent, at a start without the
 * API, restore only content that is byte for byte what it proved. Written once per version (a version's content never
 * changes: the operator refuses a reused version), deleted with the bundle.
 */
final class VerifiedManifests {
    private final Supplier<Path> dir; // checked for planted links at every use (StateLayout)
    private final ObjectMapper json = new ObjectMapper();

    VerifiedManifests(Supplier<Path> dir) {
        this.dir = dir;
    }

    Optional<ContentManifest> load(String bundle, String version) {
        Path f = file(bundle, version);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new ContentManifest(json.readValue(f.toFile(), new TypeReference<Map<String, String>>() {})));
        } catch (IOException e) {
            return Optional.empty(); // unreadable: nothing proven to restore from, the API pass decides
        }
    }

    void record(String bundle, String version, ContentManifest m) {
        if (load(bundle, version).filter(m::equals).isPresent()) {
            return;
        }
        try {
            Files.createDirectories(dir.get());
            HostFiles.writeAtomically(file(bundle, version), json.writeValueAsBytes(m.entries()));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot record the verified content of " + bundle + " " + version + ": " + e.getMessage(), e);
        }
    }

    /** Keeps the manifests of {@code keep} only (the bundle's kept versions); none when {@code keep} is empty. */
    void retain(String bundle, java.util.Collection<String> keep) {
        Path d = dir.get();
        if (!Files.isDirectory(d)) {
            return;
        }
        try (var s = Files.list(d)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(bundle + "_")
                        && n.endsWith(".json")
                        && !keep.contains(n.substring(bundle.length() + 1, n.length() - 5))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // a leftover manifest restores nothing by itself (the journal decides what is restored)
        }
    }

    private Path file(String bundle, String version) {
        return dir.get().resolve(bundle + "_" + version + ".json");
    }
}
