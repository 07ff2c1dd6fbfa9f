package io.confext.box;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container images the build writes ({@code scripts/build-images}, run by
 * {@code ./mvnw package -DbuildImages}) as OCI archives under {@code target/images/}, with the names and tags
 * the chart uses by default (its appVersion).
 */
public record ImageArchives(Path dir, String version) {

    /** containerd's default sandbox image, built locally (there is no registry to pull it from). */
    public static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

    public static final String OPERATOR_REPOSITORY = "ghcr.io/confext/confext-operator";
    public static final String AGENT_REPOSITORY = "ghcr.io/confext/confext-node-agent";

    public static ImageArchives of(Path repoRoot) {
        return new ImageArchives(repoRoot.resolve("target/images"), chartAppVersion(repoRoot));
    }

    public Path operator() {
        return dir.resolve("confext-operator-" + version + ".oci.tar");
    }

    public Path agent() {
        return dir.resolve("confext-node-agent-" + version + ".oci.tar");
    }

    public Path pause() {
        return dir.resolve("pause-3.10.oci.tar");
    }

    public List<Path> all() {
        return List.of(pause(), operator(), agent());
    }

    public String operatorImage() {
        return OPERATOR_REPOSITORY + ":" + version;
    }

    public String agentImage() {
        return AGENT_REPOSITORY + ":" + version;
    }

    /** What is missing or unreadable, with the command that makes it; empty when all archives are there. */
    public Optional<String> problem() {
        List<String> missing = new ArrayList<>();
        for (Path p : all()) {
            try {
                if (!Files.isRegularFile(p) || Files.size(p) < 1024) {
                    missing.add(p.getFileName().toString());
                }
            } catch (IOException e) {
                missing.add(p.getFileName() + " (" + e.getMessage() + ")");
            }
        }
        return missing.isEmpty()
                ? Optional.empty()
                : Optional.of(
                        "image archives missing or empty in " + dir + ": " + missing
                                + "; build them with `./mvnw -B -DskipTests package -DbuildImages` (or scripts/build-images after a package)");
    }

    static String chartAppVersion(Path repoRoot) {
        Path chart = repoRoot.resolve("helm/confext-operator/Chart.yaml");
        try {
            Matcher m = Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)\"?").matcher(Files.readString(chart));
            if (!m.find()) {
                throw new IllegalStateException("no appVersion in " + chart);
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + chart, e);
        }
    }
}
