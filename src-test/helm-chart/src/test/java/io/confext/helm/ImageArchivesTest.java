package io.confext.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image archives {@code scripts/build-images} writes to {@code target/images/} carry the image
 * names the chart renders with its default values, so that {@code ctr -n k8s.io images import}
 * (which names an image after {@code io.containerd.image.name} or else
 * {@code org.opencontainers.image.ref.name} in index.json) gives the pods the images they ask for
 * with {@code imagePullPolicy: Never} or {@code IfNotPresent}. Skipped when the images are not built.
 */
class ImageArchivesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChartLocation location;
    private static String operatorImage;
    private static String agentImage;

    @BeforeAll
    static void render() {
        location = ChartLocation.fromBuild();
        Deployment deployment = new ChartRenderer(location).render("").one(Deployment.class, "confext-operator");
        Container operator =
                deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        operatorImage = operator.getImage();
        agentImage = operator.getEnv().stream()
                .filter(e -> e.getName().equals("CONFEXT_AGENT_IMAGE"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void operatorArchiveIsNamedLikeTheChartDefaultAndRunsAsUser185() throws IOException {
        JsonNode config = check(archive("confext-operator", tag(operatorImage)), operatorImage);
        assertThat(config.at("/config/User").asText()).isEqualTo("185:185");
        assertThat(texts(config.at("/config/Entrypoint")))
                .endsWith(
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                        "-jar",
                        "/opt/confext-operator/quarkus-run.jar");
    }

    @Test
    void agentArchiveIsNamedLikeTheChartDefaultAndStartsTheLauncher() throws IOException {
        JsonNode config = check(archive("confext-node-agent", tag(agentImage)), agentImage);
        assertThat(config.at("/config/User").asText()).isIn("0", "0:0");
        assertThat(texts(config.at("/config/Entrypoint"))).containsExactly("/usr/local/bin/confext-agent");
    }

    @Test
    void pauseArchiveIsNamedLikeContainerdsDefaultSandboxImage() throws IOException {
        Path pause = location.repoRoot().resolve("target/images/pause-3.10.oci.tar");
        assumeTrue(Files.exists(pause), "no " + pause + ": scripts/build-images has not run");
        Map<String, byte[]> entries = smallEntries(pause);
        assertThat(refNames(entries)).containsExactly("registry.k8s.io/pause:3.10");
    }

    private static Path archive(String stem, String version) {
        Path file = location.repoRoot().resolve("target/images/" + stem + "-" + version + ".oci.tar");
        assumeTrue(Files.exists(file), "no " + file + ": scripts/build-images has not run");
        return file;
    }

    /** Checks name and OCI labels; returns the image configuration. */
    private static JsonNode check(Path archive, String image) throws IOException {
        Map<String, byte[]> entries = smallEntries(archive);
        assertThat(refNames(entries)).as(archive + " index.json").containsExactly(image);
        JsonNode index = JSON.readTree(entries.get("index.json"));
        JsonNode manifest =
                JSON.readTree(blob(entries, index.at("/manifests/0/digest").asText()));
        JsonNode config =
                JSON.readTree(blob(entries, manifest.at("/config/digest").asText()));
        JsonNode labels = config.at("/config/Labels");
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(tag(image));
        assertThat(labels.path("org.opencontainers.image.source").asText()).startsWith("https://");
        assertThat(labels.path("org.opencontainers.image.revision").asText()).matches("[0-9a-f]{40}|unknown");
        assertThat(labels.path("org.opencontainers.image.title").asText()).isNotBlank();

        Path docker = archive.resolveSibling(archive.getFileName().toString().replace(".oci.tar", ".docker.tar"));
        if (Files.exists(docker)) {
            JsonNode dockerManifest = JSON.readTree(smallEntries(docker).get("manifest.json"));
            assertThat(texts(dockerManifest.at("/0/RepoTags")))
                    .as(docker + " manifest.json")
                    .containsExactly(image);
        }
        return config;
    }

    private static List<String> refNames(Map<String, byte[]> entries) throws IOException {
        assertThat(entries).containsKey("index.json");
        return elements(JSON.readTree(entries.get("index.json")).path("manifests"))
                .map(m -> m.at("/annotations/io.containerd.image.name")
                        .asText(m.at("/annotations/org.opencontainers.image.ref.name")
                                .asText()))
                .toList();
    }

    private static byte[] blob(Map<String, byte[]> entries, String digest) {
        byte[] blob = entries.get("blobs/" + digest.replace(':', '/'));
        assertThat(blob).as(digest).isNotNull();
        return blob;
    }

    private static List<String> texts(JsonNode array) {
        return elements(array).map(JsonNode::asText).toList();
    }

    private static Stream<JsonNode> elements(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    /** The regular files of a tar archive up to 1 MiB (index, manifests, configs; not layers). */
    private static Map<String, byte[]> smallEntries(Path tar) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                if ((type == '0' || type == 0) && size <= 1 << 20) {
                    byte[] content = in.readNBytes((int) size);
                    entries.put(name.startsWith("./") ? name.substring(2) : name, content);
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }
        return entries;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }
}
