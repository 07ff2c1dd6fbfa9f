package io.confext.agent.verify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * Writes a minimal primary GPT (protective MBR, header, 128 entries) for sector sizes repart on this
 * machine cannot produce (4096). Test-only; the 512-byte case is produced by systemd-repart.
 */
final class GptWriter {
    record Part(UUID type, UUID uuid, Path content, String name) {}

    private GptWriter() {}

    static void write(Path out, int sector, List<Part> parts) throws IOException {
        write(out, sector, parts, 1 << 20, 128);
    }

    /** With partitions aligned to {@code alignBytes} and {@code entryCount} 128-byte entries: small images, e.g. fuzzing seeds. */
    static void write(Path out, int sector, List<Part> parts, int alignBytes, int entryCount) throws IOException {
        long align = Math.max(1, alignBytes / sector);
        long lba = Math.max(align, 2 + (entryCount * 128L + sector - 1) / sector);
        lba = ((lba + align - 1) / align) * align;
        byte[] entries = new byte[entryCount * 128];
        ByteBuffer e = ByteBuffer.wrap(entries).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(
                out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                long size = Files.size(p.content());
                long sectors = Math.max(1, (size + sector - 1) / sector);
                sectors = ((sectors + align - 1) / align) * align;
                try (FileChannel in = FileChannel.open(p.content())) {
                    in.transferTo(0, size, ch.position(lba * sector));
                }
                int base = i * 128;
                Guids.write(p.type(), entries, base);
                Guids.write(p.uuid(), entries, base + 16);
                e.putLong(base + 32, lba);
                e.putLong(base + 40, lba + sectors - 1);
                byte[] name = p.name().getBytes(StandardCharsets.UTF_16LE);
                System.arraycopy(name, 0, entries, base + 56, Math.min(72, name.length));
                lba += sectors;
            }
            long total = lba + align;
            ch.write(ByteBuffer.wrap(new byte[sector]), total * sector - sector);
            byte[] mbr = new byte[sector];
            mbr[446 + 4] = (byte) 0xEE;
            mbr[510] = 0x55;
            mbr[511] = (byte) 0xAA;
            ch.write(ByteBuffer.wrap(mbr), 0);
            byte[] header = new byte[sector];
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            h.put("EFI PART".getBytes(StandardCharsets.US_ASCII));
            h.putInt(8, 0x00010000);
            h.putInt(12, 92);
            h.putLong(24, 1);
            h.putLong(32, total - 1);
            h.putLong(40, 2 + entries.length / sector + 1);
            h.putLong(48, total - 2);
            Guids.write(UUID.randomUUID(), header, 56);
            h.putLong(72, 2);
            h.putInt(80, entryCount);
            h.putInt(84, 128);
            h.putInt(88, GptReader.crc32(entries, 0, entries.length));
            h.putInt(16, GptReader.crc32(header, 0, 92));
            ch.write(ByteBuffer.wrap(header), sector);
            ch.write(ByteBuffer.wrap(entries), 2L * sector);
        }
    }
}
