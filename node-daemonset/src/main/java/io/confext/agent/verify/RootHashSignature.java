package io.confext.agent.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The content of a root-verity-sig partition (UAPI Discoverable Partitions Specification): a JSON
 * object padded with NUL bytes, carrying the root hash and a detached DER PKCS#7 signature over its
 * lowercase hex ASCII form. Naked images carry the same two things as sidecar files.
 */
public record RootHashSignature(String rootHash, byte[] signature, Optional<String> certificateFingerprint) {
    /** systemd refuses signature partitions larger than this. */
    public static final int MAX_PARTITION = 4 * 1024 * 1024;

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{32,128}");

    /**
     * Made on first use: only a DDI's signature partition is JSON, and an ObjectMapper's set-up costs ~0.4 s of CPU
     * in a fresh JVM (BENCHMARKS.md, issue #18), which a naked image with sidecars never needs.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public static RootHashSignature fromPartition(byte[] raw) throws ImageFormatException {
        if (raw.length > MAX_PARTITION) {
            throw malformed("the signature partition is " + raw.length + " bytes, above the 4 MiB limit");
        }
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        for (int i = end; i < raw.length; i++) {
            if (raw[i] != 0) {
                throw malformed("the signature partition has non-NUL byte 0x" + Integer.toHexString(raw[i] & 0xff)
                        + " at offset " + i + " after the JSON's terminating NUL (only NUL padding may follow)");
            }
        }
        if (end == 0) {
            throw malformed("the signature partition is empty");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(new String(raw, 0, end, StandardCharsets.UTF_8));
        } catch (Exception e) {
            // Jackson's own limits (nesting depth 1000, number and string lengths) end here too.
            String why = e.getMessage() == null
                    ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            throw malformed("the signature partition is not valid JSON: " + why);
        }
        if (node == null || !node.isObject()) {
            throw malformed("the signature partition JSON is not an object");
        }
        String root = text(node, "rootHash");
        String sig = text(node, "signature");
        if (root == null || sig == null) {
            throw malformed("the signature partition JSON lacks " + (root == null ? "\"rootHash\"" : "\"signature\""));
        }
        String fp = text(node, "certificateFingerprint");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
            throw malformed("\"signature\" is not valid base64: " + e.getMessage());
        }
        return of(root, der, fp);
    }

    public static RootHashSignature of(String rootHashHex, byte[] der, String fingerprint) throws ImageFormatException {
        String root = rootHashHex.trim();
        if (!HEX.matcher(root).matches()) {
            throw malformed("root hash '" + abbreviate(root) + "' is not lowercase hex");
        }
        if (fingerprint != null && !fingerprint.matches("[0-9a-fA-F]{64}")) {
            throw malformed("\"certificateFingerprint\" '" + abbreviate(fingerprint) + "' is not a hex SHA-256");
        }
        return new RootHashSignature(root, der, Optional.ofNullable(fingerprint).map(f -> f.toLowerCase(Locale.ROOT)));
    }

    private static String text(JsonNode n, String field) throws ImageFormatException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw malformed("\"" + field + "\" is not a string");
        }
        return v.asText();
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static ImageFormatException malformed(String m) {
        return new ImageFormatException(ReasonCode.SIGNATURE_MALFORMED, m);
    }
}
