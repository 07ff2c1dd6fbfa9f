package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Recomputes a dm-verity hash tree from the data, streamed once, in bounded memory: one pending
 * hash block per level (a 256 MiB image needs 3 levels, so 12 KiB). Each hash block, as soon as it
 * is complete, is compared with the block stored in the hash area, so a damaged stored tree is told
 * apart from damaged data. Not thread-safe: one builder per verification.
 */
final class VerityTreeBuilder {
    /** The first stored hash block found to differ from the recomputed one. */
    record Mismatch(int level, long index) {}

    record Outcome(byte[] rootHash, Mismatch firstMismatch, long mismatchedBlocks) {}

    private final VeritySuperblock sb;
    private final VerityGeometry geometry;
    private final FileChannel hashArea;
    private final long hashAreaOffset;
    private final MessageDigest md;
    private final byte[] salt;
    private final int dbs;
    private final int hbs;
    private final int slot;
    private final byte[][] pending;
    private final int[] filled;
    private final long[] completed;
    private final byte[] partial;
    private int partialLen;
    private final byte[] stored;
    private final byte[] digest;
    private long dataBlocksSeen;
    private byte[] root;
    private Mismatch firstMismatch;
    private long mismatches;

    VerityTreeBuilder(VeritySuperblock sb, FileChannel hashArea, long hashAreaOffset) {
        this.sb = sb;
        try {
            this.md = MessageDigest.getInstance(sb.javaDigestName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.geometry = VerityGeometry.of(sb, md.getDigestLength());
        this.hashArea = hashArea;
        this.hashAreaOffset = hashAreaOffset;
        this.salt = sb.salt();
        this.dbs = sb.dataBlockSize();
        this.hbs = sb.hashBlockSize();
        this.slot = geometry.slotSize(hbs);
        int levels = geometry.levels();
        this.pending = new byte[levels][hbs];
        this.filled = new int[levels];
        this.completed = new long[levels];
        this.partial = new byte[dbs];
        this.stored = new byte[hbs];
        this.digest = new byte[md.getDigestLength()];
    }

    VerityGeometry geometry() {
        return geometry;
    }

    /** Feeds the next bytes of the covered data range, in order. */
    void accept(byte[] b, int off, int len) throws IOException {
        if (partialLen > 0) {
            int take = Math.min(len, dbs - partialLen);
            System.arraycopy(b, off, partial, partialLen, take);
            partialLen += take;
            off += take;
            len -= take;
            if (partialLen == dbs) {
                dataBlock(partial, 0);
                partialLen = 0;
            }
        }
        while (len >= dbs) {
            dataBlock(b, off);
            off += dbs;
            len -= dbs;
        }
        if (len > 0) {
            System.arraycopy(b, off, partial, 0, len);
            partialLen = len;
        }
    }

    Outcome finish() throws IOException {
        if (partialLen != 0 || dataBlocksSeen != sb.dataBlocks()) {
            throw new IllegalStateException(
                    "fed " + dataBlocksSeen + " blocks + " + partialLen + " bytes, superblock says " + sb.dataBlocks());
        }
        for (int level = 0; level < geometry.levels(); level++) {
            if (filled[level] > 0) {
                completeBlock(level);
            }
        }
        return new Outcome(root, firstMismatch, mismatches);
    }

    private void dataBlock(byte[] b, int off) throws IOException {
        hash(b, off, dbs);
        dataBlocksSeen++;
        if (geometry.levels() == 0) {
            // A one-block image has no hash blocks: the root hash is the data block's own hash.
            root = digest.clone();
        } else {
            push(0, digest);
        }
    }

    private void push(int level, byte[] d) throws IOException {
        System.arraycopy(d, 0, pending[level], filled[level] * slot, d.length);
        if (++filled[level] == geometry.hashesPerBlock()) {
            completeBlock(level);
        }
    }

    private void completeBlock(int level) throws IOException {
        byte[] block = pending[level];
        Arrays.fill(block, filled[level] * slot, hbs, (byte) 0);
        compareWithStored(level, completed[level], block);
        completed[level]++;
        filled[level] = 0;
        hash(block, 0, hbs);
        if (level == geometry.levels() - 1) {
            root = digest.clone();
        } else {
            push(level + 1, digest);
        }
    }

    private void compareWithStored(int level, long index, byte[] block) throws IOException {
        long pos = hashAreaOffset + geometry.levelOffsets()[level] + index * hbs;
        ByteBuffer buf = ByteBuffer.wrap(stored);
        while (buf.hasRemaining()) {
            if (hashArea.read(buf, pos + buf.position()) < 0) {
                break;
            }
        }
        if (buf.hasRemaining() || !Arrays.equals(stored, block)) {
            mismatches++;
            if (firstMismatch == null) {
                firstMismatch = new Mismatch(level, index);
            }
        }
    }

    private void hash(byte[] b, int off, int len) {
        md.update(salt);
        md.update(b, off, len);
        try {
            md.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }
}
