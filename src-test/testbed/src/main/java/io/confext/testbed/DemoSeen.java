package io.confext.testbed;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo service's main process reported it saw the last time it read its config (at start or on
 * SIGHUP).
 *
 * @param generation         1 after start, +1 per re-read
 * @param pid                the main process (in the host's PID namespace)
 * @param configPath         the config file it reads
 * @param config             its content, empty if the file did not exist
 * @param extensionReleases  extension name -> content of {@code /etc/extension-release.d/extension-release.<name>}
 */
public record DemoSeen(
        long generation, long pid, String configPath, Optional<String> config, Map<String, String> extensionReleases) {

    /** A field (e.g. {@code VERSION}) of one extension's release file as the service saw it. */
    public Optional<String> extensionField(String extension, String key) {
        String content = extensionReleases.get(extension);
        return content == null ? Optional.empty() : KeyValues.parse(content).map(m -> m.get(key));
    }

    static DemoSeen parse(String report) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : report.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                lines.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!lines.containsKey("generation") || !lines.containsKey("pid")) {
            throw new TestbedException("not a demo service report:\n" + report);
        }
        Map<String, String> releases = new LinkedHashMap<>();
        lines.forEach((k, v) -> {
            if (k.startsWith("extension.")) {
                releases.put(k.substring("extension.".length()), decode(v));
            }
        });
        return new DemoSeen(
                Long.parseLong(lines.get("generation")),
                Long.parseLong(lines.get("pid")),
                lines.getOrDefault("config_path", ""),
                Optional.ofNullable(lines.get("config")).map(DemoSeen::decode),
                Map.copyOf(releases));
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
    }
}
