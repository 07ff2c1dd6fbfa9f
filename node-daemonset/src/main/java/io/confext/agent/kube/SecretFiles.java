package io.confext.agent.kube;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSecret;
import io.confext.api.revision.ResolvedSecretFile;
import io.confext.api.status.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks a copy Secret's values against the sha256 each file of the revision pins, and gives the files to stage.
 * Pure: the caller fetched the copy. Messages name the copy, keys and paths, never a value or a digest of one that
 * does not match (a digest of a secret short value could be brute-forced).
 */
final class SecretFiles {
    private SecretFiles() {}

    /** The outcome: the files, or why they cannot be staged. */
    sealed interface Outcome {
        record Files(List<ResolvedFile> files) implements Outcome {}

        record Refused(Reason reason, String message) implements Outcome {}
    }

    /**
     * @param copy the copy Secret's data (base64 values, as the API gives them), or null when the copy does not exist
     * @param where how messages name the copy ("Secret ns/name")
     */
    static Outcome check(ResolvedSecret secret, Map<String, String> copy, String where) {
        if (copy == null) {
            return new Outcome.Refused(
                    Reason.SecretUnavailable,
                    where + ", the copy of Secret " + secret.namespace() + "/" + secret.name()
                            + " frozen for this revision, does not exist");
        }
        List<ResolvedFile> files = new ArrayList<>();
        for (ResolvedSecretFile f : secret.files()) {
            String b64 = copy.get(f.key());
            if (b64 == null) {
                return new Outcome.Refused(
                        Reason.SecretUnavailable, where + " has no key \"" + f.key() + "\" for /etc/" + f.path());
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                return changed(where, f);
            }
            if (!sha256Hex(bytes).equals(f.sha256())) {
                return changed(where, f);
            }
            String text;
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
            } catch (CharacterCodingException e) {
                // the operator froze only UTF-8 text, so a matching digest over other bytes cannot happen
                return changed(where, f);
            }
            files.add(new ResolvedFile(f.path(), text, f.mode()));
        }
        return new Outcome.Files(files);
    }

    private static Outcome changed(String where, ResolvedSecretFile f) {
        return new Outcome.Refused(
                Reason.SecretContentChanged,
                where + ": key \"" + f.key() + "\" (for /etc/" + f.path()
                        + ") does not have the sha256 frozen in the revision; the copy was replaced after the version"
                        + " was frozen, so nothing of it is staged");
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
