package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounds of the verity superblock and the naked image's sidecars: refusals, never an overflow or a whole-file read. */
class ParserBoundsTest {
    @TempDir
    Path dir;

    private static byte[] superblock(int dataBlockSize, long dataBlocks) {
        ByteBuffer b = ByteBuffer.allocate(VeritySuperblock.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put("verity\0\0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(8, 1).putInt(12, 1);
        b.put(32, "sha256".getBytes(StandardCharsets.US_ASCII));
        b.putInt(64, dataBlockSize).putInt(68, 4096).putLong(72, dataBlocks).putShort(80, (short) 32);
        return b.array();
    }

    @Test
    void verityDataBlocksWhoseByteCountOverflowsAreRefused() throws Exception {
        // dataBlocks x dataBlockSize wrapped negative and slipped past "covers more than the data area".
        assertThatThrownBy(() -> VeritySuperblock.parse(superblock(4096, Long.MAX_VALUE / 4096 + 1)))
                .isInstanceOf(ImageFormatException.class)
                .hasMessageContaining("more bytes than any image can hold")
                .extracting(e -> ((ImageFormatException) e).code())
                .isEqualTo(ReasonCode.VERITY_SUPERBLOCK_INVALID);
        VeritySuperblock largest = VeritySuperblock.parse(superblock(4096, Long.MAX_VALUE / 4096));
        assertThat(largest.coveredBytes()).isPositive();
        assertThat(VerityGeometry.of(largest, 32).hashAreaBytes()).isPositive();
    }

    /** A file with an EROFS magic at 1024, i.e. a naked image as far as the locator can tell. */
    private Path naked() throws Exception {
        byte[] b = new byte[4096];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(1024, ErofsReader.MAGIC);
        return Files.write(dir.resolve("demo.raw"), b);
    }

    private ImageFormatException locate(Path image) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            return catchThrowableOfType(
                    ImageFormatException.class, () -> new ImageLocator().locate(image, ch, Architecture.X86_64));
        }
    }

    @Test
    void anOversizedRootHashSidecarIsRefusedUnread() throws Exception {
        Path image = naked();
        try (FileChannel f = FileChannel.open(
                dir.resolve("demo.roothash"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            f.write(ByteBuffer.wrap(new byte[1]), 1L << 30); // sparse 1 GiB: reading it whole would exhaust the heap
        }
        ImageFormatException e = locate(image);
        assertThat(e.code()).isEqualTo(ReasonCode.ROOT_HASH_MISSING);
        assertThat(e).hasMessageContaining("above the 4096-byte limit");
    }

    @Test
    void anOversizedSignatureSidecarIsRefusedUnread() throws Exception {
        Path image = naked();
        Files.writeString(dir.resolve("demo.roothash"), "ab".repeat(32) + "\n");
        try (FileChannel f = FileChannel.open(
                dir.resolve("demo.roothash.p7s"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            f.write(ByteBuffer.wrap(new byte[1]), 1L << 30);
        }
        ImageFormatException e = locate(image);
        assertThat(e).isInstanceOf(ImageLocator.LayoutWithProblem.class);
        assertThat(e.code()).isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
        assertThat(e).hasMessageContaining("above the 4 MiB limit");
    }

    @Test
    void aNonAsciiRootHashSidecarIsAHexRefusalNotAnIoError() throws Exception {
        Path image = naked();
        Files.write(dir.resolve("demo.roothash"), new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        Files.write(dir.resolve("demo.roothash.p7s"), new byte[] {0x30, 0x00});
        ImageFormatException e = locate(image);
        assertThat(e.code()).isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
        assertThat(e).hasMessageContaining("is not lowercase hex");
    }
}
