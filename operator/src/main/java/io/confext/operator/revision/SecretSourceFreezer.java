package io.confext.operator.revision;

import io.confext.api.revision.CanonicalJson;
import io.confext.api.revision.ResolvedSecret;
import io.confext.api.revision.ResolvedSecretFile;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.SecretItem;
import io.confext.api.v1alpha1.SecretSource;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a source Secret's data into what a revision may hold (the files' paths, modes and sha256, the copy's name) and
 * what only the copy Secret holds (the values). Pure: the caller reads the Secret. Messages name keys, never values.
 */
final class SecretSourceFreezer {

    private SecretSourceFreezer() {}

    /** The frozen files and their copy (to be created in {@code copyNamespace}), for bundle {@code bundle}. */
    static Frozen freeze(String bundle, String copyNamespace, SecretSource source, Map<String, String> base64Data) {
        String where = "Secret " + source.getNamespace() + "/" + source.getName();
        Map<String, String> data = base64Data == null ? Map.of() : base64Data;
        List<SecretItem> items = source.getItems();
        boolean projected = items != null && !items.isEmpty();
        List<ResolvedSecretFile> files = new ArrayList<>();
        Map<String, String> copied = new LinkedHashMap<>();
        if (projected) {
            for (int i = 0; i < items.size(); i++) {
                SecretItem item = items.get(i);
                String value = data.get(item.getKey());
                if (value == null) {
                    throw new UnresolvableBundleException(
                            Reason.InvalidSourceSecret,
                            where + " has no key \"" + item.getKey() + "\" named in spec.source.secret.items[" + i
                                    + "]; keys: " + new TreeMap<>(data).keySet());
                }
                files.add(file(where, item.getKey(), item.getPath(), item.getMode(), value));
                copied.put(item.getKey(), value);
            }
        } else {
            // without items each key is a file directly under /etc (Secret keys cannot hold '/'); sorted for a stable
            // digest
            new TreeMap<>(data).forEach((k, v) -> {
                files.add(file(where, k, k, null, v));
                copied.put(k, v);
            });
        }
        if (files.isEmpty()) {
            throw new UnresolvableBundleException(Reason.InvalidSourceSecret, where + " has no data keys");
        }
        String copy = copyName(bundle, files);
        return new Frozen(
                new ResolvedSecret(copy, copyNamespace, source.getNamespace(), source.getName(), projected, files),
                new SecretCopy(copy, copied));
    }

    /**
     * {@code <bundle>-secret-<10 hex>}, the hex from the files' digests: the same content gives the same copy (so a
     * re-freeze finds it), other content another one (so no copy is ever changed).
     */
    static String copyName(String bundle, List<ResolvedSecretFile> files) {
        return bundle + "-secret-"
                + sha256Hex(CanonicalJson.write(files).getBytes(StandardCharsets.UTF_8))
                        .substring(0, 10);
    }

    private static ResolvedSecretFile file(String where, String key, String path, String mode, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new UnresolvableBundleException(
                    Reason.InvalidSourceSecret, where + ": the value of key \"" + key + "\" is not base64");
        }
        // staged files are text (as inline and ConfigMap files): a binary value would not survive the agent's staging
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new UnresolvableBundleException(
                    Reason.InvalidSourceSecret,
                    where + ": the value of key \"" + key
                            + "\" is not UTF-8 text; only text becomes files (use an image source for binary content)");
        }
        return new ResolvedSecretFile(key, path, mode, sha256Hex(bytes));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** What freezing a Secret source gives: the revision's part and the copy's. */
    record Frozen(ResolvedSecret resolved, SecretCopy copy) {}
}
