package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Reads the primary GPT of a disk image: header at LBA 1 ("EFI PART"), for 512- and 4096-byte
 * sectors (the signature is looked for at both offsets), with the header CRC32 and the entry-array
 * CRC32 checked, as the UEFI specification defines them.
 */
public final class GptReader {
    private static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);
    private static final int[] SECTOR_SIZES = {512, 4096};
    /** Far above any real table (128 x 128 bytes); bounds what a hostile header makes us read. */
    private static final long MAX_ENTRY_ARRAY = 1 << 20;
    /**
     * The largest entry size accepted. The UEFI specification only asks for 128 x 2^n; every tool
     * writes 128. 4096 still leaves 256 entries inside {@link #MAX_ENTRY_ARRAY}, and keeps
     * {@code count x size} far from overflowing.
     */
    static final long MAX_ENTRY_SIZE = 4096;

    /** Empty when the file has no GPT at all (a naked file system); an exception when it has a damaged one. */
    public Optional<GptTable> read(FileChannel ch) throws IOException, ImageFormatException {
        long fileSize = ch.size();
        for (int sector : SECTOR_SIZES) {
            if (fileSize < 2L * sector) {
                continue;
            }
            byte[] sig = readFully(ch, sector, SIGNATURE.length);
            if (java.util.Arrays.equals(sig, SIGNATURE)) {
                return Optional.of(parse(ch, sector, fileSize));
            }
        }
        return Optional.empty();
    }

    private GptTable parse(FileChannel ch, int sector, long fileSize) throws IOException, ImageFormatException {
        byte[] header = readFully(ch, sector, sector);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int headerSize = h.getInt(12);
        if (headerSize < 92 || headerSize > sector) {
            throw corrupt("GPT header size " + headerSize + " is out of range 92.." + sector);
        }
        int storedHeaderCrc = h.getInt(16);
        byte[] forCrc = java.util.Arrays.copyOf(header, headerSize);
        forCrc[16] = forCrc[17] = forCrc[18] = forCrc[19] = 0;
        int headerCrc = crc32(forCrc, 0, headerSize);
        if (headerCrc != storedHeaderCrc) {
            throw corrupt(String.format(
                    "GPT header CRC32 mismatch: stored %08x, computed %08x (the partition table was altered or damaged)",
                    storedHeaderCrc, headerCrc));
        }
        UUID disk = Guids.read(header, 56);
        long entriesLba = h.getLong(72);
        long count = h.getInt(80) & 0xffffffffL;
        long entrySize = h.getInt(84) & 0xffffffffL;
        int storedEntriesCrc = h.getInt(88);
        if (entrySize < 128 || entrySize > MAX_ENTRY_SIZE || entrySize % 8 != 0) {
            throw corrupt("GPT entry size " + entrySize + " is invalid (must be a multiple of 8 in 128.."
                    + MAX_ENTRY_SIZE + ")");
        }
        // count < 2^32 and entrySize <= 4096: the product cannot overflow; the LBA can be anything.
        long arrayBytes = count * entrySize;
        if (arrayBytes > MAX_ENTRY_ARRAY
                || entriesLba < 2
                || entriesLba > fileSize / sector
                || arrayBytes > fileSize - entriesLba * sector) {
            throw corrupt("GPT entry array (" + count + " x " + entrySize + " bytes at LBA " + entriesLba
                    + ") does not fit the image");
        }
        long arrayOffset = entriesLba * sector;
        byte[] entries = readFully(ch, arrayOffset, (int) arrayBytes);
        int entriesCrc = crc32(entries, 0, entries.length);
        if (entriesCrc != storedEntriesCrc) {
            throw corrupt(String.format(
                    "GPT partition entry array CRC32 mismatch: stored %08x, computed %08x",
                    storedEntriesCrc, entriesCrc));
        }
        List<GptPartition> parts = new ArrayList<>();
        ByteBuffer e = ByteBuffer.wrap(entries).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            int base = Math.toIntExact(i * entrySize);
            UUID type = Guids.read(entries, base);
            if (type.getMostSignificantBits() == 0 && type.getLeastSignificantBits() == 0) {
                continue;
            }
            UUID unique = Guids.read(entries, base + 16);
            long first = e.getLong(base + 32);
            long last = e.getLong(base + 40);
            long attrs = e.getLong(base + 48);
            String name = new String(entries, base + 56, 72, StandardCharsets.UTF_16LE);
            int nul = name.indexOf('\0');
            if (nul >= 0) {
                name = name.substring(0, nul);
            }
            // last < fileSize / sector keeps last + 1 and (last - first + 1) x sector from overflowing:
            // Long.MAX_VALUE as the last LBA once wrapped to a negative end and a size of -512.
            if (first < 0 || last < first || last >= fileSize / sector) {
                throw corrupt("GPT partition " + (i + 1) + " spans LBA " + first + ".." + last + ", outside the "
                        + fileSize + "-byte image");
            }
            parts.add(new GptPartition(i + 1, type, unique, first * sector, (last - first + 1) * sector, attrs, name));
        }
        return new GptTable(sector, disk, parts);
    }

    private static ImageFormatException corrupt(String message) {
        return new ImageFormatException(ReasonCode.GPT_CORRUPT, message);
    }

    static int crc32(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    static byte[] readFully(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new java.io.EOFException(
                        "image ends at " + (pos + buf.position()) + ", expected " + len + " bytes at " + pos);
            }
        }
        return buf.array();
    }
}
