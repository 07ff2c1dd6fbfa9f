package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A user-space reader for the subset of EROFS (Linux {@code fs/erofs/erofs_fs.h}) a content check
 * needs, so an image's tree is inspected without mounting it: the superblock at byte 1024, compact
 * (32-byte) and extended (64-byte) inodes, directories, and uncompressed data (flat plain and flat
 * inline layouts). Compressed and chunk-based files are listed (type, mode, size) but their content
 * cannot be read here.
 *
 * <p>All reads are confined to {@code [offset, offset + length)}: the verity-covered range. A
 * structure that points outside it is reported as damage, never followed: bytes past the covered
 * range are not protected by the hash tree, and the host will not see them either.
 */
public final class ErofsReader implements FileTree {
    public static final int MAGIC = 0xE0F5E1E2;
    static final int SUPER_OFFSET = 1024;
    private static final int LAYOUT_FLAT_PLAIN = 0;
    private static final int LAYOUT_FLAT_INLINE = 2;
    private static final int DIRENT_SIZE = 12;

    // Caps that keep a hostile tree inside the agent's 48 MiB heap (-Xmx48m in confext-agent, of
    // which the agent itself uses 10-20 MiB). Each is far above what a real /etc tree needs; going
    // past one is a CONTENT_TOO_LARGE refusal (FILE_SYSTEM_CORRUPT for what a kernel would refuse).

    /** EROFS_NAME_LEN: the kernel refuses longer names, so a longer one is damage. */
    static final int MAX_NAME_BYTES = 255;
    /** PATH_MAX: no host process could open a longer path under the merged /etc anyway. */
    static final int MAX_PATH_CHARS = 4096;
    /** Nesting depth; a deep /etc is ~10 levels. Bounds the chain a hostile image can build one name at a time. */
    static final int MAX_DEPTH = 64;
    /**
     * One directory's data is read whole: 1 MiB holds ~40,000 entries with 14-character names,
     * and is the largest single allocation a directory may cause (the old bound, 64 MiB, was above the heap).
     */
    static final int MAX_DIRECTORY_BYTES = 1 << 20;
    /**
     * Characters of all the paths the walk keeps (the returned list holds every path). 100,000
     * entries (Policy.DEFAULT_MAX_ENTRIES) of 40-character paths fit; 4 MiB of path text (8 MiB at
     * worst, as UTF-16) plus the per-entry objects stays below half the heap, where 100,000 paths of
     * 4096 characters (400 MiB) would not.
     */
    static final long MAX_TOTAL_PATH_CHARS = 4L << 20;

    /** The caps in force; tests lower them to reach each refusal with small images. */
    record Limits(int maxPathChars, int maxDepth, int maxDirectoryBytes, long maxTotalPathChars) {
        static final Limits DEFAULT = new Limits(MAX_PATH_CHARS, MAX_DEPTH, MAX_DIRECTORY_BYTES, MAX_TOTAL_PATH_CHARS);
    }

    private final VerifiedRange range;
    private final long length;
    private final int blkszBits;
    private final int dirBlockSize;
    private final long metaStart;
    private final long rootNid;
    private final Limits limits;

    /** An inode as far as this reader needs it. */
    record Inode(long nid, int layout, int mode, long size, long rawBlkaddr, long tailOffset) {}

    public ErofsReader(FileChannel ch, long offset, long length) throws IOException, ImageFormatException {
        this(ch, offset, length, Limits.DEFAULT);
    }

    ErofsReader(FileChannel ch, long offset, long length, Limits limits) throws IOException, ImageFormatException {
        this.limits = limits;
        this.range = new VerifiedRange(ch, offset, length, "EROFS structure", "an");
        this.length = length;
        ByteBuffer sb = read(SUPER_OFFSET, 128);
        if (sb.getInt(0) != MAGIC) {
            throw corrupt("no EROFS superblock at byte 1024");
        }
        blkszBits = sb.get(12) & 0xff;
        if (blkszBits < 9 || blkszBits > 16) {
            throw corrupt("EROFS block size 2^" + blkszBits + " is out of range");
        }
        int dirBits = sb.get(90) & 0xff;
        dirBlockSize = 1 << (blkszBits + Math.min(dirBits, 4));
        rootNid = sb.getShort(14) & 0xffff;
        metaStart = (sb.getInt(40) & 0xffffffffL) << blkszBits;
    }

    public static boolean isErofs(FileChannel ch, long offset, long length) throws IOException {
        if (length < SUPER_OFFSET + 4) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(b, offset + SUPER_OFFSET);
        return b.position() == 4 && b.getInt(0) == MAGIC;
    }

    /** Every entry under the root, depth first; stops with an error past {@code maxEntries} (a tree bomb). */
    @Override
    public List<TreeEntry> walk(int maxEntries) throws IOException, ImageFormatException {
        Inode root = inode(rootNid);
        if ((root.mode & TreeEntry.S_IFMT) != TreeEntry.S_IFDIR) {
            throw corrupt("EROFS root inode " + rootNid + " is not a directory");
        }
        return TreeWalk.walk(
                new TreeWalk.Tree() {
                    @Override
                    public String label() {
                        return "EROFS";
                    }

                    @Override
                    public boolean listsDots() {
                        return true;
                    }

                    @Override
                    public List<TreeWalk.Child> list(TreeEntry dir, int budget, int max)
                            throws IOException, ImageFormatException {
                        List<TreeWalk.Child> out = new ArrayList<>();
                        for (Dirent d : readDir(inode(dir.nid()), budget, max)) {
                            out.add(new TreeWalk.Child(d.name, d.nid));
                        }
                        return out;
                    }

                    @Override
                    public TreeEntry entry(String path, long nid) throws IOException, ImageFormatException {
                        Inode in = inode(nid);
                        String target = null;
                        if ((in.mode & TreeEntry.S_IFMT) == TreeEntry.S_IFLNK) {
                            if (in.size > 4096) {
                                throw corrupt("EROFS symlink " + path + " has a " + in.size + "-byte target");
                            }
                            target = new String(readData(in, (int) in.size), StandardCharsets.UTF_8);
                        }
                        return new TreeEntry(path, in.mode, in.size, target, nid);
                    }
                },
                new TreeEntry("", root.mode, root.size, null, rootNid),
                maxEntries,
                limits);
    }

    /** The content of a regular file, at most {@code max} bytes. */
    @Override
    public byte[] readFile(TreeEntry e, int max) throws IOException, ImageFormatException {
        if (!e.isRegular()) {
            throw corrupt(e.path() + " is not a regular file");
        }
        if (e.size() > max) {
            throw new ImageFormatException(
                    ReasonCode.CONTENT_TOO_LARGE,
                    e.path() + " is " + e.size() + " bytes, above the " + max + "-byte limit");
        }
        return readData(inode(e.nid()), (int) e.size());
    }

    private record Dirent(long nid, String name) {}

    /** At most {@code limit} entries (else CONTENT_TOO_LARGE, naming {@code maxEntries}). */
    private List<Dirent> readDir(Inode dir, int limit, int maxEntries) throws IOException, ImageFormatException {
        if (dir.size > limits.maxDirectoryBytes()) {
            throw new ImageFormatException(
                    ReasonCode.CONTENT_TOO_LARGE,
                    "EROFS directory inode " + dir.nid + " is " + dir.size + " bytes, above the "
                            + limits.maxDirectoryBytes() + "-byte limit for one directory");
        }
        byte[] data = readData(dir, (int) dir.size);
        List<Dirent> out = new ArrayList<>();
        for (int blockStart = 0; blockStart < data.length; blockStart += dirBlockSize) {
            int blockLen = Math.min(dirBlockSize, data.length - blockStart);
            if (blockLen < DIRENT_SIZE) {
                throw corrupt("EROFS directory inode " + dir.nid + " ends in a " + blockLen
                        + "-byte block, too short for an entry");
            }
            ByteBuffer b = ByteBuffer.wrap(data, blockStart, blockLen).slice().order(ByteOrder.LITTLE_ENDIAN);
            int firstNameOff = b.getShort(8) & 0xffff;
            if (firstNameOff < DIRENT_SIZE || firstNameOff % DIRENT_SIZE != 0 || firstNameOff > blockLen) {
                throw corrupt("EROFS directory inode " + dir.nid + " has a damaged block at " + blockStart);
            }
            int count = firstNameOff / DIRENT_SIZE;
            if ((long) out.size() + count > limit) {
                throw new ImageFormatException(
                        ReasonCode.CONTENT_TOO_LARGE, "the image holds more than " + maxEntries + " entries");
            }
            for (int i = 0; i < count; i++) {
                long nid = b.getLong(i * DIRENT_SIZE);
                int nameOff = b.getShort(i * DIRENT_SIZE + 8) & 0xffff;
                int nameEnd = i + 1 < count ? b.getShort((i + 1) * DIRENT_SIZE + 8) & 0xffff : blockLen;
                if (nameOff > nameEnd || nameEnd > blockLen) {
                    throw corrupt("EROFS directory inode " + dir.nid + " has a damaged entry " + i + " in block at "
                            + blockStart);
                }
                int len = nameEnd - nameOff;
                if (i + 1 == count) {
                    // The last name runs to the end of the block or up to the first NUL padding byte.
                    for (int j = 0; j < len; j++) {
                        if (b.get(nameOff + j) == 0) {
                            len = j;
                            break;
                        }
                    }
                }
                if (len > MAX_NAME_BYTES) {
                    throw corrupt("EROFS directory inode " + dir.nid + " has a " + len + "-byte name (the limit is "
                            + MAX_NAME_BYTES + ")");
                }
                byte[] name = new byte[len];
                b.get(nameOff, name);
                out.add(new Dirent(nid, new String(name, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    Inode inode(long nid) throws IOException, ImageFormatException {
        if (nid < 0 || nid > (length - metaStart) / 32) {
            throw corrupt("EROFS inode number " + nid + " lies outside the " + length + "-byte verified range");
        }
        long pos = metaStart + nid * 32;
        ByteBuffer b = read(pos, 32);
        int format = b.getShort(0) & 0xffff;
        boolean extended = (format & 1) != 0;
        int layout = (format >> 1) & 0x7;
        int xattrCount = b.getShort(2) & 0xffff;
        int mode = b.getShort(4) & 0xffff;
        long size;
        long rawBlk;
        int isize;
        if (extended) {
            b = read(pos, 64);
            size = b.getLong(8);
            rawBlk = b.getInt(16) & 0xffffffffL;
            isize = 64;
        } else {
            size = b.getInt(8) & 0xffffffffL;
            rawBlk = b.getInt(16) & 0xffffffffL;
            isize = 32;
        }
        if (size < 0) {
            throw corrupt("EROFS inode " + nid + " has a negative size");
        }
        int xattrSize = xattrCount == 0 ? 0 : 12 + (xattrCount - 1) * 4;
        return new Inode(nid, layout, mode, size, rawBlk, pos + isize + xattrSize);
    }

    private byte[] readData(Inode in, int size) throws IOException, ImageFormatException {
        if (in.layout != LAYOUT_FLAT_PLAIN && in.layout != LAYOUT_FLAT_INLINE) {
            throw new ImageFormatException(
                    ReasonCode.CONTENT_UNINSPECTABLE,
                    "EROFS inode " + in.nid + " uses data layout " + in.layout
                            + " (compressed or chunk-based), which this reader cannot read; build the image uncompressed (mkfs.erofs without -z)");
        }
        long blksz = 1L << blkszBits;
        long nblocks = (size + blksz - 1) / blksz;
        long inBlocks = in.layout == LAYOUT_FLAT_INLINE ? Math.max(0, nblocks - 1) * blksz : (long) size;
        inBlocks = Math.min(inBlocks, size);
        byte[] out = new byte[size];
        if (inBlocks > 0) {
            read(in.rawBlkaddr << blkszBits, (int) inBlocks).get(out, 0, (int) inBlocks);
        }
        int tail = (int) (size - inBlocks);
        if (tail > 0) {
            if ((in.tailOffset % blksz) + tail > blksz) {
                throw corrupt("EROFS inode " + in.nid + " has an inline tail crossing a block boundary");
            }
            read(in.tailOffset, tail).get(out, (int) inBlocks, tail);
        }
        return out;
    }

    private ByteBuffer read(long pos, int len) throws IOException, ImageFormatException {
        return range.read(pos, len);
    }

    private static ImageFormatException corrupt(String m) {
        return new ImageFormatException(ReasonCode.FILE_SYSTEM_CORRUPT, m);
    }
}
