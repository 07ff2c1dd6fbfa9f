package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks a dm-verity protected data range against a root hash in user space, as the kernel would
 * when it reads the blocks: the hash tree is recomputed from exactly {@code data_blocks x
 * data_block_size} bytes of the data area in one streaming pass (never a byte past that range), and
 * each recomputed hash block is compared with the stored one.
 */
public final class VerityVerifier {
    /** Read size: large enough for sequential throughput, small enough for the 96 MiB RSS budget. */
    static final int CHUNK = 1 << 20;

    /** Where the data and hash areas are: a partition of one image file, or two files (naked image + sidecar). */
    public record Areas(FileChannel data, long dataOffset, long dataAreaSize, FileChannel hash, long hashOffset, long hashAreaSize) {
    }

    /**
     * @param rootHash the computed root hash (lowercase hex), also when it does not match
     * @param problem the refusal, empty when the data matches the expected root hash and the stored tree
     */
    public record Result(VeritySuperblock superblock, String rootHash, Optional<Reason> problem) {
    }

    public VeritySuperblock readSuperblock(Areas areas) throws IOException, ImageFormatException {
        if (areas.hashAreaSize() < VeritySuperblock.SIZE) {
            throw new ImageFormatException(ReasonCode.VERITY_SUPERBLOCK_INVALID, "hash area is " + areas.hashAreaSize() + " bytes, too small for a superblock");
        }
        return VeritySuperblock.parse(GptReader.readFully(areas.hash(), areas.hashOffset(), VeritySuperblock.SIZE));
    }

    /**
     * Verifies the areas against {@code expectedRootHex}. When {@code wholeFile} is given, the entire
     * data file is streamed once and fed to it too (the download digest of the same pass); bytes
     * outside the covered range go only to that digest.
     */
    public Result verify(Areas areas, String expectedRootHex, MessageDigest wholeFile) throws IOException, ImageFormatException {
        VeritySuperblock sb = readSuperblock(areas);
        long covered = sb.coveredBytes();
        if (covered > areas.dataAreaSize()) {
            throw new ImageFormatException(ReasonCode.VERITY_SUPERBLOCK_INVALID, "the hash tree covers " + covered
                    + " bytes but the data area has only " + areas.dataAreaSize());
        }
        VerityTreeBuilder tree = new VerityTreeBuilder(sb, areas.hash(), areas.hashOffset());
        if (tree.geometry().hashAreaBytes() > areas.hashAreaSize()) {
            throw new ImageFormatException(ReasonCode.VERITY_SUPERBLOCK_INVALID, "the hash tree needs " + tree.geometry().hashAreaBytes()
                    + " bytes but the hash area has only " + areas.hashAreaSize());
        }
        long start = wholeFile == null ? areas.dataOffset() : 0;
        long end = wholeFile == null ? areas.dataOffset() + covered : areas.data().size();
        long coverStart = areas.dataOffset();
        long coverEnd = areas.dataOffset() + covered;
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buf = ByteBuffer.wrap(chunk);
        for (long pos = start; pos < end; ) {
            buf.clear().limit((int) Math.min(CHUNK, end - pos));
            int n = areas.data().read(buf, pos);
            if (n < 0) {
                throw new java.io.EOFException("image ends at byte " + pos + ", expected " + end);
            }
            if (wholeFile != null) {
                wholeFile.update(chunk, 0, n);
            }
            long from = Math.max(pos, coverStart);
            long to = Math.min(pos + n, coverEnd);
            if (from < to) {
                tree.accept(chunk, (int) (from - pos), (int) (to - from));
            }
            pos += n;
        }
        VerityTreeBuilder.Outcome out = tree.finish();
        String computed = HexFormat.of().formatHex(out.rootHash());
        return new Result(sb, computed, judge(sb, tree.geometry(), out, computed, expectedRootHex));
    }

    private static Optional<Reason> judge(VeritySuperblock sb, VerityGeometry g, VerityTreeBuilder.Outcome out, String computed, String expected) {
        if (!computed.equalsIgnoreCase(expected)) {
            String where = "";
            if (out.firstMismatch() != null && out.firstMismatch().level() == 0) {
                long first = out.firstMismatch().index() * g.hashesPerBlock();
                long last = Math.min(first + g.hashesPerBlock(), sb.dataBlocks()) - 1;
                where = String.format("; the data differs from the stored hash tree within data blocks %d..%d (bytes %d..%d of the data area)",
                        first, last, first * sb.dataBlockSize(), (last + 1) * sb.dataBlockSize() - 1);
            }
            return Optional.of(new Reason(ReasonCode.VERITY_ROOT_HASH_MISMATCH, "the data does not match the dm-verity root hash: expected "
                    + expected + ", computed " + computed + where + "; the image was altered or damaged after it was signed"));
        }
        if (out.firstMismatch() != null) {
            return Optional.of(new Reason(ReasonCode.VERITY_HASH_TREE_CORRUPT, "the data matches the root hash " + computed
                    + " but the stored hash tree does not (" + out.mismatchedBlocks() + " hash block(s) differ, first at level "
                    + out.firstMismatch().level() + " block " + out.firstMismatch().index()
                    + "); the kernel would fail reads: the verity partition or sidecar was altered or damaged"));
        }
        return Optional.empty();
    }
}
