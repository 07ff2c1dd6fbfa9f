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
    public record Areas(
            FileChannel data,
            long dataOffset,
            long dataAreaSize,
            FileChannel hash,
            long hashOffset,
            long hashAreaSize) {}

    /**
     * @param rootHash the computed root hash (lowercase hex), also when it does not match
     * @param problem the refusal, empty when the data matches the expected root hash and the stored tree
     */
    public record Result(VeritySuperblock superblock, String rootHash, Optional<Reason> problem) {}

    public VeritySuperblock readSuperblock(Areas areas) throws IOException, ImageFormatException {
        if (areas.hashAreaSize() < VeritySuperblock.SIZE) {
            throw new ImageFormatException(
                    ReasonCode.VERITY_SUPERBLOCK_INVALID,
                    "hash area is " + areas.hashAreaSize() + " bytes, too small for a superblock");
        }
        return VeritySuperblock.parse(GptReader.readFully(areas.hash(), areas.hashOffset(), VeritySuperblock.SIZE));
    }

    /**
     * Verifies the areas against {@code expectedRootHex}. When {@code wholeFile} is given, the entire
     * data file is streamed once and fed to it too (the download digest of the same pass); bytes
     * outside the covered range go only to that digest.
     */
    public Result verify(Areas areas, String expectedRootHex, MessageDigest wholeFile)
            throws IOException, ImageFormatException {
        VeritySuperblock sb = readSuperblock(areas);
        long covered = sb.coveredBytes();
        if (covered > areas.dataAreaSize()) {
            throw new ImageFormatException(
                    ReasonCode.VERITY_SUPERBLOCK_INVALID,
                    "the hash tree covers " + covered + " bytes but the data area has only " + areas.dataAreaSize());
        }
        VerityTreeBuilder tree;
        try {
            tree = new VerityTreeBuilder(sb, areas.hash(), areas.hashOffset());
        } catch (ArithmeticException e) {
            throw new ImageFormatException(
                    ReasonCode.VERITY_SUPERBLOCK_INVALID, "the hash tree of " + sb + " does not fit in 2^63 bytes");
        }
        if (tree.geometry().hashAreaBytes() > areas.hashAreaSize()) {
            throw new ImageFormatException(
                    ReasonCode.VERITY_SUPERBLOCK_INVALID,
                    "the hash tree needs " + tree.geometry().hashAreaBytes() + " bytes but the hash area has only "
                            + areas.hashAreaSize());
        }
        long start = wholeFile == null ? areas.dataOffset() : 0;
        long end =
                wholeFile == null ? areas.dataOffset() + covered : areas.data().size();
        try (WholeFileDigest digest = wholeFile == null ? null : new WholeFileDigest(wholeFile)) {
            streamOnce(areas, tree, digest, start, end, covered);
        }
        VerityTreeBuilder.Outcome out = tree.finish();
        String computed = HexFormat.of().formatHex(out.rootHash());
        return new Result(sb, computed, judge(sb, tree.geometry(), out, computed, expectedRootHex));
    }

    /**
     * The single pass: two chunk buffers alternate, so the whole-file sha256 of one chunk runs on a
     * second thread while this thread hashes the same (read-only) chunk into the verity tree.
     */
    private static void streamOnce(
            Areas areas, VerityTreeBuilder tree, WholeFileDigest digest, long start, long end, long covered)
            throws IOException {
        long coverStart = areas.dataOffset();
        long coverEnd = areas.dataOffset() + covered;
        byte[][] chunks =
                digest == null ? new byte[][] {new byte[CHUNK]} : new byte[][] {new byte[CHUNK], new byte[CHUNK]};
        int turn = 0;
        for (long pos = start; pos < end; turn ^= (chunks.length - 1)) {
            byte[] chunk = chunks[turn];
            if (digest != null) {
                digest.awaitDoneWith(turn);
            }
            ByteBuffer buf = ByteBuffer.wrap(chunk, 0, (int) Math.min(CHUNK, end - pos));
            int n = areas.data().read(buf, pos);
            if (n < 0) {
                throw new java.io.EOFException("image ends at byte " + pos + ", expected " + end);
            }
            if (digest != null) {
                digest.submit(turn, chunk, n);
            }
            long from = Math.max(pos, coverStart);
            long to = Math.min(pos + n, coverEnd);
            if (from < to) {
                tree.accept(chunk, (int) (from - pos), (int) (to - from));
            }
            pos += n;
        }
    }

    /** Feeds a MessageDigest on its own thread, in order; one pending update per buffer. */
    private static final class WholeFileDigest implements AutoCloseable {
        private final MessageDigest md;
        private final java.util.concurrent.ExecutorService worker =
                java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "verify-sha256");
                    t.setDaemon(true);
                    return t;
                });
        private final java.util.concurrent.Future<?>[] pending = new java.util.concurrent.Future<?>[2];

        WholeFileDigest(MessageDigest md) {
            this.md = md;
        }

        void submit(int slot, byte[] chunk, int n) {
            pending[slot] = worker.submit(() -> md.update(chunk, 0, n));
        }

        void awaitDoneWith(int slot) throws IOException {
            java.util.concurrent.Future<?> f = pending[slot];
            if (f == null) {
                return;
            }
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while hashing");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("sha256 worker failed", e.getCause());
            }
            pending[slot] = null;
        }

        @Override
        public void close() throws IOException {
            try {
                awaitDoneWith(0);
                awaitDoneWith(1);
            } finally {
                worker.shutdownNow();
            }
        }
    }

    private static Optional<Reason> judge(
            VeritySuperblock sb, VerityGeometry g, VerityTreeBuilder.Outcome out, String computed, String expected) {
        if (!computed.equalsIgnoreCase(expected)) {
            String where = "";
            if (out.firstMismatch() != null && out.firstMismatch().level() == 0) {
                long first = out.firstMismatch().index() * g.hashesPerBlock();
                long last = Math.min(first + g.hashesPerBlock(), sb.dataBlocks()) - 1;
                where = String.format(
                        "; the data differs from the stored hash tree within data blocks %d..%d (bytes %d..%d of the data area)",
                        first, last, first * sb.dataBlockSize(), (last + 1) * sb.dataBlockSize() - 1);
            }
            return Optional.of(new Reason(
                    ReasonCode.VERITY_ROOT_HASH_MISMATCH,
                    "the data does not match the dm-verity root hash: expected " + expected + ", computed " + computed
                            + where + "; the image was altered or damaged after it was signed"));
        }
        if (out.firstMismatch() != null) {
            return Optional.of(
                    new Reason(
                            ReasonCode.VERITY_HASH_TREE_CORRUPT,
                            "the data matches the root hash " + computed
                                    + " but the stored hash tree does not (" + out.mismatchedBlocks()
                                    + " hash block(s) differ, first at level "
                                    + out.firstMismatch().level() + " block "
                                    + out.firstMismatch().index()
                                    + "); the kernel would fail reads: the verity partition or sidecar was altered or damaged"));
        }
        return Optional.empty();
    }
}
