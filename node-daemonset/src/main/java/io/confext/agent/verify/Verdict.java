package io.confext.agent.verify;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of verifying one image. Accepted only when there is no reason at all; every check
 * that could run did run, so {@code reasons} lists every problem, not only the first.
 *
 * @param rootHash the dm-verity root hash the data was checked against (lowercase hex), if known
 * @param signerFingerprint lowercase hex SHA-256 of the DER certificate that signed the root hash
 * @param notes facts worth showing that are not refusals ("signature present but not checked")
 * @param extensionName the NAME of {@code extension-release.NAME} the image must carry
 */
public record Verdict(
        String rootHash, String signerFingerprint, String extensionName, List<Reason> reasons, List<String> notes) {
    public Verdict {
        reasons = List.copyOf(reasons);
        notes = List.copyOf(notes);
    }

    public boolean accepted() {
        return reasons.isEmpty();
    }

    public Optional<String> rootHashIfKnown() {
        return Optional.ofNullable(rootHash);
    }

    public boolean has(ReasonCode code) {
        return reasons.stream().anyMatch(r -> r.code() == code);
    }
}
