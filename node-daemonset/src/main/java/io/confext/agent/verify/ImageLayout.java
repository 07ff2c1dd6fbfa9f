package io.confext.agent.verify;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the parts of a verified image are, whichever form it has: a DDI (root, root-verity and
 * root-verity-sig partitions of one GPT image) or a naked file system with sidecar files.
 *
 * @param hashFile the file holding the verity hash area: the image itself for a DDI, the {@code .verity} sidecar for a naked image
 * @param rootHashHint a root hash known without a signature: partition UUIDs of a DDI, the {@code .roothash} sidecar or xattr
 * @param signature the signed root hash, if the image carries one
 */
public record ImageLayout(
        Kind kind,
        long dataOffset,
        long dataAreaSize,
        Optional<Path> hashFile,
        long hashOffset,
        long hashAreaSize,
        Optional<String> rootHashHint,
        Optional<RootHashSignature> signature,
        Optional<GptTable> gpt) {
    public enum Kind {
        DDI,
        NAKED
    }

    public boolean hasVerity() {
        return hashFile.isPresent();
    }
}
