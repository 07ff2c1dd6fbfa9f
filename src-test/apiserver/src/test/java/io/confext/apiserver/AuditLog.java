package io.confext.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The kube-apiserver's audit log as the independent count of one user's API writes: a policy that
 * records, at Metadata level (no bodies), only the mutating requests of that user, and a reader
 * that turns the JSON lines into {@link AuditedWrite}s. What the server saw is the truth, whatever
 * the client thinks it sent (retries, conflicts and SSA patches included).
 */
final class AuditLog {

    static final List<String> WRITE_VERBS = List.of("create", "update", "patch", "delete", "deletecollection");

    private AuditLog() {}

    /** One mutating request as the server completed it. */
    record AuditedWrite(
            Instant received,
            String verb,
            String resource,
            String subresource,
            String namespace,
            String name,
            int code) {

        boolean succeeded() {
            return code >= 200 && code < 300;
        }
    }

    /** Metadata level for the user's writes, nothing else (reads and watches would dwarf the log). */
    static String policyFor(String user) {
        return """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                omitStages: ["RequestReceived"]
                rules:
                  - level: Metadata
                    users: ["%s"]
                    verbs: [%s]
                  - level: None
                """.formatted(user, String.join(", ", WRITE_VERBS));
    }

    /** The apiserver flags that write the log as JSON lines, never rotated during the run. */
    static List<String> apiServerFlags(Path policy, Path log) {
        return List.of(
                "--audit-policy-file",
                policy.toString(),
                "--audit-log-path",
                log.toString(),
                "--audit-log-format",
                "json",
                "--audit-log-maxsize",
                "0",
                "--audit-log-mode",
                "blocking");
    }

    static List<AuditedWrite> read(Path log) {
        ObjectMapper json = new ObjectMapper();
        List<AuditedWrite> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = json.readTree(line);
                if (!"ResponseComplete".equals(e.path("stage").asText())) {
                    continue;
                }
                JsonNode ref = e.path("objectRef");
                out.add(new AuditedWrite(
                        Instant.parse(e.path("requestReceivedTimestamp").asText()),
                        e.path("verb").asText(),
                        ref.path("resource").asText(""),
                        ref.path("subresource").asText(""),
                        ref.path("namespace").asText(""),
                        ref.path("name").asText(""),
                        e.path("responseStatus").path("code").asInt(0)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + log + ": " + e.getMessage(), e);
        }
        return out;
    }
}
