package io.confext.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Tampering with image files the way an attacker on the wire or in the artifact store would. */
final class Images {

    /** x86-64 root partition type 4f68bce3-e8cd-4db1-96e7-fbcaf984b709, as GPT stores it (mixed endian). */
    private static final byte[] ROOT_X86_64 = HexFormat.of().parseHex("e3bc684fcde8b14d96e7fbcaf984b709");

    private Images() {}

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(file));
        return HexFormat.of().formatHex(md.digest());
    }

    static Path copyWithFlippedByte(Path image, Path copy, long offset) throws IOException {
        Files.copy(image, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x01);
        }
        return copy;
    }

    /** The byte offset of a DDI's x86-64 root (data) partition, from its GPT (512- or 4096-byte sectors). */
    static long rootPartitionOffset(Path ddi) throws IOException {
        byte[] all = Files.readAllBytes(ddi);
        for (int sector : new int[] {512, 4096}) {
            if (all.length < sector + 92
                    || !new String(all, sector, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("EFI PART")) {
                continue;
            }
            ByteBuffer h = ByteBuffer.wrap(all, sector, 92).order(ByteOrder.LITTLE_ENDIAN);
            long entriesLba = h.getLong(sector + 72);
            int count = h.getInt(sector + 80);
            int size = h.getInt(sector + 84);
            for (int i = 0; i < count; i++) {
                int at = (int) (entriesLba * sector + (long) i * size);
                if (java.util.Arrays.equals(all, at, at + 16, ROOT_X86_64, 0, 16)) {
                    return ByteBuffer.wrap(all, at + 32, 8)
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .getLong()
                            * sector;
                }
            }
            throw new IllegalArgumentException(ddi + " has no x86-64 root partition");
        }
        throw new IllegalArgumentException(ddi + " has no GPT");
    }
}
