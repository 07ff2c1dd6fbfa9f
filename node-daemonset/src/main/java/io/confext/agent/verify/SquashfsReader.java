package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user-space reader for the subset of squashfs 4.0 (Linux {@code fs/squashfs/squashfs_fs.h}) a content check needs,
 * so an image's tree is inspected without mounting it: the superblock, the inode and directory tables (metadata blocks
 * of 8 KiB, compressed or not), every inode type, and file data in blocks and fragments, in every compression
 * mksquashfs writes but the legacy lzma one ({@link SquashfsCompression}).
 *
 * <p>As for {@link ErofsReader}: every read is confined to {@code [offset, offset + length)}, the verity-covered range
 * (a structure pointing outside it is damage, never followed), every allocation is bounded by the same caps
 * ({@link ErofsReader.Limits}), a directory cycle is damage, and a block that inflates past its size is damage.
 */
public final class SquashfsReader implements FileTree {
    public static final int MAGIC = 0x73717368; // "hsqs"
    private static final int SUPERBLOCK_BYTES = 96;
    /** Uncompressed size of a metadata block (SQUASHFS_METADATA_SIZE). */
    private static final int METADATA_BYTES = 8192;
    /** SQUASHFS_NAME_LEN: mksquashfs and the kernel refuse longer names. */
    static final int MAX_NAME_BYTES = 256;
    /** mksquashfs writes at most 256 entries per directory header (SQUASHFS_DIR_COUNT). */
    private static final int MAX_HEADER_ENTRIES = 256;

    private static final long NO_FRAGMENT = 0xFFFFFFFFL;
    private static final int BLOCK_UNCOMPRESSED = 1 << 24;
    private static final int FRAGMENTS_PER_BLOCK = METADATA_BYTES / 16;
    /** Decompressed metadata blocks kept: a walk revisits the same inode and directory blocks. 64 x 8 KiB. */
    private static final int CACHED_BLOCKS = 64;

    private final VerifiedRange range;
    private final long length;
    private final ErofsReader.Limits limits;
    private final SquashfsCompression compression;
    private final int blockSize;
    private final long rootRef;
    private final long inodeTable;
    private final long directoryTable;
    private final long fragmentTable;
    private final long fragmentCount;
    private final Map<Long, Block> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Block> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };

    /** A decompressed metadata block and where the next one starts. */
    private record Block(byte[] data, long next) {}

    /** An inode as far as this reader needs it; {@code ref} is the inode reference (block << 16 | offset). */
    record Inode(
            long ref,
            int type,
            int mode,
            long size,
            long dirBlock,
            int dirOffset,
            long blocksStart,
            long fragment,
            long fragmentOffset,
            Cursor blockList,
            String symlinkTarget) {}

    public SquashfsReader(FileChannel ch, long offset, long length) throws IOException, ImageFormatException {
        this(ch, offset, length, ErofsReader.Limits.DEFAULT);
    }

    SquashfsReader(FileChannel ch, long offset, long length, ErofsReader.Limits limits)
            throws IOException, ImageFormatException {
        this.range = new VerifiedRange(ch, offset, length, "squashfs structure", "a");
        this.length = length;
        this.limits = limits;
        ByteBuffer sb = read(0, SUPERBLOCK_BYTES);
        if (sb.getInt(0) != MAGIC) {
            throw corrupt("no squashfs superblock at byte 0");
        }
        int major = sb.getShort(28) & 0xffff;
        int minor = sb.getShort(30) & 0xffff;
        if (major != 4 || minor != 0) {
            throw corrupt("squashfs version " + major + "." + minor + " (only 4.0 exists since Linux 2.6.29)");
        }
        blockSize = sb.getInt(12);
        int blockLog = sb.getShort(22) & 0xffff;
        if (blockSize < 4096
                || blockSize > (1 << 20)
                || Integer.bitCount(blockSize) != 1
                || 1 << blockLog != blockSize) {
            throw corrupt("squashfs block size " + blockSize + " (log " + blockLog
                    + ") is not a power of two from 4 KiB to 1 MiB");
        }
        compression = SquashfsCompression.of(sb.getShort(20) & 0xffff);
        fragmentCount = sb.getInt(16) & 0xffffffffL;
        rootRef = sb.getLong(32);
        inodeTable = sb.getLong(64);
        directoryTable = sb.getLong(72);
        fragmentTable = sb.getLong(80);
        for (long table : new long[] {inodeTable, directoryTable}) {
            if (table < SUPERBLOCK_BYTES || table >= length) {
                throw corrupt(
                        "squashfs table at byte " + table + " lies outside the " + length + "-byte verified range");
            }
        }
    }

    public static boolean isSquashfs(FileChannel ch, long offset, long length) throws IOException {
        if (length < SUPERBLOCK_BYTES) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(b, offset);
        return b.position() == 4 && b.getInt(0) == MAGIC;
    }

    @Override
    public List<TreeEntry> walk(int maxEntries) throws IOException, ImageFormatException {
        Inode root = inode(rootRef);
        if (!isDirectory(root.type)) {
            throw corrupt("squashfs root inode is not a directory");
        }
        return TreeWalk.walk(
                new TreeWalk.Tree() {
                    @Override
                    public String label() {
                        return "squashfs";
                    }

                    @Override
                    public boolean listsDots() {
                        return false;
                    }

                    @Override
                    public List<TreeWalk.Child> list(TreeEntry dir, int budget, int max)
                            throws IOException, ImageFormatException {
                        List<TreeWalk.Child> out = new ArrayList<>();
                        for (Dirent d : readDir(inode(dir.nid()), budget, max)) {
                            out.add(new TreeWalk.Child(d.name, d.ref));
                        }
                        return out;
                    }

                    @Override
                    public TreeEntry entry(String path, long ref) throws IOException, ImageFormatException {
                        Inode in = inode(ref);
                        return new TreeEntry(path, in.mode, in.size, in.symlinkTarget, ref);
                    }
                },
                new TreeEntry("", root.mode, root.size, null, rootRef),
                maxEntries,
                limits);
    }

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
        Inode in = inode(e.nid());
        int size = (int) in.size;
        byte[] out = new byte[size];
        boolean hasFragment = in.fragment != NO_FRAGMENT;
        long blocks = hasFragment ? size / blockSize : (size + (long) blockSize - 1) / blockSize;
        Cursor list = in.blockList;
        long pos = in.blocksStart;
        int done = 0;
        for (long i = 0; i < blocks; i++) {
            int word = list.u32();
            int onDisk = word & (BLOCK_UNCOMPRESSED - 1);
            int want = Math.min(blockSize, size - done);
            if (onDisk != 0) { // 0: a sparse block, all zeros
                byte[] data = dataBlock(pos, onDisk, (word & BLOCK_UNCOMPRESSED) == 0, e.path());
                if (data.length < want) {
                    throw corrupt("squashfs block " + i + " of " + TreeWalk.abbreviate(e.path()) + " holds "
                            + data.length + " bytes, not " + want);
                }
                System.arraycopy(data, 0, out, done, want);
                pos += onDisk;
            }
            done += want;
        }
        if (hasFragment && done < size) {
            byte[] frag = fragmentBlock(in.fragment, e.path());
            int tail = size - done;
            if (in.fragmentOffset < 0 || in.fragmentOffset > frag.length - tail) {
                throw corrupt(
                        "squashfs fragment of " + TreeWalk.abbreviate(e.path()) + " lies outside its fragment block");
            }
            System.arraycopy(frag, (int) in.fragmentOffset, out, done, tail);
        }
        return out;
    }

    private record Dirent(long ref, String name) {}

    /** At most {@code limit} entries (else CONTENT_TOO_LARGE, naming {@code maxEntries}). */
    private List<Dirent> readDir(Inode dir, int limit, int maxEntries) throws IOException, ImageFormatException {
        // file_size counts 3 bytes more than the listing (for the "." and ".." the kernel makes up)
        long listing = dir.size - 3;
        if (listing <= 0) {
            return List.of();
        }
        if (listing > limits.maxDirectoryBytes()) {
            throw new ImageFormatException(
                    ReasonCode.CONTENT_TOO_LARGE,
                    "squashfs directory is " + listing + " bytes, above the " + limits.maxDirectoryBytes()
                            + "-byte limit for one directory");
        }
        Cursor c = cursor(directoryTable, dir.dirBlock, dir.dirOffset);
        List<Dirent> out = new ArrayList<>();
        long left = listing;
        while (left > 0) {
            if (left < 12) {
                throw corrupt("squashfs directory listing ends inside a header");
            }
            long count = (c.u32() & 0xffffffffL) + 1;
            long start = c.u32() & 0xffffffffL;
            c.u32(); // the header's inode number: the entries' deltas are not needed, references are absolute
            left -= 12;
            if (count > MAX_HEADER_ENTRIES) {
                throw corrupt(
                        "squashfs directory header lists " + count + " entries (at most " + MAX_HEADER_ENTRIES + ")");
            }
            for (long i = 0; i < count; i++) {
                if (left < 8) {
                    throw corrupt("squashfs directory listing ends inside an entry");
                }
                int offset = c.u16();
                c.u16(); // inode number delta
                c.u16(); // basic type; the inode's own type is what counts
                int nameBytes = c.u16() + 1;
                left -= 8;
                if (nameBytes > MAX_NAME_BYTES) {
                    throw corrupt("squashfs directory holds a " + nameBytes + "-byte name (the limit is "
                            + MAX_NAME_BYTES + ")");
                }
                if (left < nameBytes) {
                    throw corrupt("squashfs directory listing ends inside a name");
                }
                String name = new String(c.bytes(nameBytes), StandardCharsets.UTF_8);
                left -= nameBytes;
                if (out.size() >= limit) {
                    throw new ImageFormatException(
                            ReasonCode.CONTENT_TOO_LARGE, "the image holds more than " + maxEntries + " entries");
                }
                out.add(new Dirent(start << 16 | offset, name));
            }
        }
        return out;
    }

    Inode inode(long ref) throws IOException, ImageFormatException {
        Cursor c = cursor(inodeTable, ref >>> 16, (int) (ref & 0xffff));
        int type = c.u16();
        int perms = c.u16() & 07777;
        c.u16(); // uid index
        c.u16(); // gid index
        c.u32(); // mtime
        c.u32(); // inode number
        return switch (type) {
            case 1 -> { // basic directory
                long block = c.u32() & 0xffffffffL;
                c.u32(); // links
                int size = c.u16();
                int offset = c.u16();
                yield dirInode(ref, type, perms, size, block, offset);
            }
            case 8 -> { // extended directory
                c.u32(); // links
                long size = c.u32() & 0xffffffffL;
                long block = c.u32() & 0xffffffffL;
                c.u32(); // parent
                c.u16(); // index count: the index only speeds up lookups
                int offset = c.u16();
                yield dirInode(ref, type, perms, size, block, offset);
            }
            case 2 -> { // basic file
                long start = c.u32() & 0xffffffffL;
                long fragment = c.u32() & 0xffffffffL;
                long fragmentOffset = c.u32() & 0xffffffffL;
                long size = c.u32() & 0xffffffffL;
                yield new Inode(
                        ref, type, TreeEntry.S_IFREG | perms, size, 0, 0, start, fragment, fragmentOffset, c, null);
            }
            case 9 -> { // extended file
                long start = c.u64();
                long size = c.u64();
                c.u64(); // sparse bytes
                c.u32(); // links
                long fragment = c.u32() & 0xffffffffL;
                long fragmentOffset = c.u32() & 0xffffffffL;
                c.u32(); // xattr index
                if (size < 0 || start < 0) {
                    throw corrupt("squashfs file inode has a negative size or start");
                }
                yield new Inode(
                        ref, type, TreeEntry.S_IFREG | perms, size, 0, 0, start, fragment, fragmentOffset, c, null);
            }
            case 3, 10 -> { // symlink
                c.u32(); // links
                long targetBytes = c.u32() & 0xffffffffL;
                if (targetBytes > 4096) {
                    throw corrupt("squashfs symlink has a " + targetBytes + "-byte target");
                }
                String target = new String(c.bytes((int) targetBytes), StandardCharsets.UTF_8);
                yield new Inode(
                        ref, type, TreeEntry.S_IFLNK | perms, targetBytes, 0, 0, 0, NO_FRAGMENT, 0, null, target);
            }
            case 4, 11 -> special(ref, type, TreeEntry.S_IFBLK | perms);
            case 5, 12 -> special(ref, type, TreeEntry.S_IFCHR | perms);
            case 6, 13 -> special(ref, type, TreeEntry.S_IFIFO | perms);
            case 7, 14 -> special(ref, type, TreeEntry.S_IFSOCK | perms);
            default -> throw corrupt("squashfs inode of unknown type " + type);
        };
    }

    private static Inode dirInode(long ref, int type, int perms, long size, long block, int offset)
            throws ImageFormatException {
        if (offset >= METADATA_BYTES) {
            throw corrupt("squashfs directory listing offset " + offset + " lies outside its metadata block");
        }
        return new Inode(ref, type, TreeEntry.S_IFDIR | perms, size, block, offset, 0, NO_FRAGMENT, 0, null, null);
    }

    private static Inode special(long ref, int type, int mode) {
        return new Inode(ref, type, mode, 0, 0, 0, 0, NO_FRAGMENT, 0, null, null);
    }

    private static boolean isDirectory(int type) {
        return type == 1 || type == 8;
    }

    /** A fragment block, found through the fragment table's index of metadata blocks. */
    private byte[] fragmentBlock(long index, String path) throws IOException, ImageFormatException {
        if (index >= fragmentCount) {
            throw corrupt(
                    "squashfs file " + TreeWalk.abbreviate(path) + " names fragment " + index + " of " + fragmentCount);
        }
        long indexPos = fragmentTable + (index / FRAGMENTS_PER_BLOCK) * 8;
        long metaBlock = read(indexPos, 8).getLong(0);
        Cursor c = new Cursor(metaBlock, (int) (index % FRAGMENTS_PER_BLOCK) * 16);
        long start = c.u64();
        int word = c.u32();
        int onDisk = word & (BLOCK_UNCOMPRESSED - 1);
        return dataBlock(start, onDisk, (word & BLOCK_UNCOMPRESSED) == 0, path);
    }

    private byte[] dataBlock(long pos, int onDisk, boolean compressed, String path)
            throws IOException, ImageFormatException {
        if (onDisk > blockSize) {
            throw corrupt("squashfs block of " + TreeWalk.abbreviate(path) + " is " + onDisk
                    + " bytes on disk, above the block size " + blockSize);
        }
        byte[] raw = bytesAt(pos, onDisk);
        return compressed ? compression.decompress(raw, blockSize) : raw;
    }

    private Cursor cursor(long table, long block, int offset) throws ImageFormatException {
        if (block < 0 || block >= length - table || offset < 0 || offset >= METADATA_BYTES) {
            throw corrupt("squashfs reference to block " + block + " offset " + offset + " lies outside its table");
        }
        return new Cursor(table + block, offset);
    }

    private Block metadata(long pos) throws IOException, ImageFormatException {
        Block cached = cache.get(pos);
        if (cached != null) {
            return cached;
        }
        int header = read(pos, 2).getShort(0) & 0xffff;
        int onDisk = header & 0x7fff;
        if (onDisk == 0 || onDisk > METADATA_BYTES) {
            throw corrupt("squashfs metadata block at byte " + pos + " claims " + onDisk + " bytes");
        }
        byte[] raw = bytesAt(pos + 2, onDisk);
        byte[] data = (header & 0x8000) != 0 ? raw : compression.decompress(raw, METADATA_BYTES);
        Block b = new Block(data, pos + 2 + onDisk);
        cache.put(pos, b);
        return b;
    }

    /** Reads a stream of metadata that runs on across block boundaries, as inodes and listings do. */
    final class Cursor {
        private long block;
        private int offset;

        Cursor(long block, int offset) {
            this.block = block;
            this.offset = offset;
        }

        byte[] bytes(int n) throws IOException, ImageFormatException {
            byte[] out = new byte[n];
            int done = 0;
            while (done < n) {
                Block b = metadata(block);
                if (offset >= b.data.length) {
                    offset -= b.data.length;
                    block = b.next;
                    continue;
                }
                int take = Math.min(n - done, b.data.length - offset);
                System.arraycopy(b.data, offset, out, done, take);
                done += take;
                offset += take;
            }
            return out;
        }

        int u16() throws IOException, ImageFormatException {
            return ByteBuffer.wrap(bytes(2)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        }

        int u32() throws IOException, ImageFormatException {
            return ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }

        long u64() throws IOException, ImageFormatException {
            return ByteBuffer.wrap(bytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }
    }

    private byte[] bytesAt(long pos, int len) throws IOException, ImageFormatException {
        ByteBuffer b = read(pos, len);
        byte[] out = new byte[len];
        b.get(out);
        return out;
    }

    private ByteBuffer read(long pos, int len) throws IOException, ImageFormatException {
        return range.read(pos, len);
    }

    static ImageFormatException corrupt(String m) {
        return new ImageFormatException(ReasonCode.FILE_SYSTEM_CORRUPT, m);
    }
}
