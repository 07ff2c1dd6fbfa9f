package io.confext.agent.verify;

/**
 * Where each level of a dm-verity hash tree lives, computed as cryptsetup's
 * {@code lib/verity/verity_hash.c} does: digests in power-of-two slots, levels stored top level
 * first right after the superblock's hash block, level 0 (hashes of data blocks) last.
 */
public record VerityGeometry(
        int levels,
        int hashesPerBlockBits,
        int digestSize,
        long[] levelBlocks,
        long[] levelOffsets,
        long hashAreaBytes) {

    public static VerityGeometry of(VeritySuperblock sb, int digestSize) {
        int slot =
                Integer.highestOneBit(digestSize) == digestSize ? digestSize : Integer.highestOneBit(digestSize) << 1;
        int bits = Integer.numberOfTrailingZeros(Integer.highestOneBit(sb.hashBlockSize() / slot));
        int levels = 0;
        while ((long) bits * levels < 64 && ((sb.dataBlocks() - 1) >>> (bits * levels)) != 0) {
            levels++;
        }
        long[] blocks = new long[levels];
        long[] offsets = new long[levels];
        long hbs = sb.hashBlockSize();
        long pos = ((VeritySuperblock.SIZE + hbs - 1) / hbs) * hbs;
        for (int i = levels - 1; i >= 0; i--) {
            int shift = bits * (i + 1);
            blocks[i] = shift >= 64 ? 1 : ((sb.dataBlocks() - 1) >>> shift) + 1;
            offsets[i] = pos;
            // Cannot overflow for a superblock VeritySuperblock.parse accepted (data blocks x block size
            // fits a long, and the tree is smaller than the data); exact arithmetic keeps it so.
            pos = Math.addExact(pos, Math.multiplyExact(blocks[i], hbs));
        }
        return new VerityGeometry(levels, bits, digestSize, blocks, offsets, pos);
    }

    public int hashesPerBlock() {
        return 1 << hashesPerBlockBits;
    }

    public int slotSize(int hashBlockSize) {
        return hashBlockSize >> hashesPerBlockBits;
    }
}
