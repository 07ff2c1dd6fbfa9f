package io.confext.api.revision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content digest of a revision, {@code sha256:<64 hex>} over {@link CanonicalJson} of the
 * content. The operator stores it in the {@code confext.io/digest} annotation and in each node's
 * {@code spec.bundles[].revision.digest}; the agent recomputes it from {@code data} and refuses a
 * revision whose content does not match.
 */
public final class RevisionDigest {

    public static final String PREFIX = "sha256:";

    private RevisionDigest() {}

    public static String of(RevisionContent content) {
        return PREFIX + sha256Hex(CanonicalJson.write(content));
    }

    /** True when {@code digest} is the digest of {@code content}. */
    public static boolean matches(RevisionContent content, String digest) {
        return of(content).equals(digest);
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
