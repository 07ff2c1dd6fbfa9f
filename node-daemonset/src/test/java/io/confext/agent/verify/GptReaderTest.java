package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptReaderTest {
    @TempDir
    Path dir;

    private final GptReader reader = new GptReader();

    @Test
    void guidsAreMixedEndianOnDisk() {
        // The x86-64 root type as it is stored in a GPT entry.
        byte[] disk = HexFormat.of().parseHex("e3bc684fcde8b14d96e7fbcaf984b709");
        assertThat(Guids.read(disk, 0)).isEqualTo(Architecture.X86_64.root());
        byte[] back = new byte[16];
        Guids.write(Architecture.X86_64.root(), back, 0);
        assertThat(back).isEqualTo(disk);
    }

    @Test
    void readsTheTableSystemdRepartWrites() throws Exception {
        TestImages.assumeTools("systemd-repart", "mkfs.erofs", "veritysetup");
        Path image = dir.resolve("demo.raw");
        String root = TestImages.ddi(TestImages.tree(dir, "demo", "ID=_any\n"), image, null, "x86-64");
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            GptTable t = reader.read(ch).orElseThrow();
            assertThat(t.sectorSize()).isEqualTo(512);
            GptPartition rootPart = t.ofType(Architecture.X86_64.root()).get(0);
            GptPartition verity = t.ofType(Architecture.X86_64.rootVerity()).get(0);
            assertThat(rootPart.uuid().toString().replace("-", "")).isEqualTo(root.substring(0, 32));
            assertThat(verity.uuid().toString().replace("-", "")).isEqualTo(root.substring(32));
            assertThat(ErofsReader.isErofs(ch, rootPart.offset(), rootPart.size()))
                    .isTrue();
            assertThat(new String(GptReader.readFully(ch, verity.offset(), 6))).isEqualTo("verity");
        }
    }

    @Test
    void reads4096ByteSectors() throws Exception {
        Path a = Files.write(dir.resolve("a"), new byte[5000]);
        Path image = dir.resolve("4k.raw");
        UUID u = UUID.randomUUID();
        GptWriter.write(image, 4096, List.of(new GptWriter.Part(Architecture.ARM64.root(), u, a, "root-arm64")));
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            GptTable t = reader.read(ch).orElseThrow();
            assertThat(t.sectorSize()).isEqualTo(4096);
            assertThat(t.partitions()).singleElement().satisfies(p -> {
                assertThat(p.type()).isEqualTo(Architecture.ARM64.root());
                assertThat(p.uuid()).isEqualTo(u);
                assertThat(p.offset()).isEqualTo(1 << 20);
                assertThat(p.name()).isEqualTo("root-arm64");
            });
        }
    }

    @Test
    void damagedHeaderOrEntriesAreRefusedByCrc() throws Exception {
        Path a = Files.write(dir.resolve("a"), new byte[100]);
        Path image = dir.resolve("crc.raw");
        GptWriter.write(image, 512, List.of(new GptWriter.Part(Architecture.X86_64.root(), UUID.randomUUID(), a, "r")));
        Path header = TestImages.copy(image, dir.resolve("h.raw"));
        TestImages.flipByte(header, 512 + 40);
        Path entries = TestImages.copy(image, dir.resolve("e.raw"));
        TestImages.flipByte(entries, 1024 + 33);
        for (Path p : List.of(header, entries)) {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                assertThatThrownBy(() -> reader.read(ch))
                        .isInstanceOf(ImageFormatException.class)
                        .hasMessageContaining("CRC32 mismatch")
                        .extracting(e -> ((ImageFormatException) e).code())
                        .isEqualTo(ReasonCode.GPT_CORRUPT);
            }
        }
    }

    /** Rewrites header fields and entry 0 of a GptWriter image, then makes both CRC32s right again. */
    private Path patched(String name, java.util.function.BiConsumer<ByteBuffer, ByteBuffer> edit) throws Exception {
        Path a = Files.write(dir.resolve("content-" + name), new byte[100]);
        Path image = dir.resolve(name + ".raw");
        GptWriter.write(image, 512, List.of(new GptWriter.Part(Architecture.X86_64.root(), UUID.randomUUID(), a, "r")));
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.wrap(GptReader.readFully(ch, 512, 512)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer e =
                    ByteBuffer.wrap(GptReader.readFully(ch, 1024, 128 * 128)).order(ByteOrder.LITTLE_ENDIAN);
            edit.accept(h, e);
            long arrayBytes = (h.getInt(80) & 0xffffffffL) * (h.getInt(84) & 0xffffffffL);
            // The CRC the old reader computed: over the (int) cast of the product it read.
            int crcLen = (int) Math.min(e.capacity(), Math.max(0, (int) arrayBytes));
            h.putInt(88, GptReader.crc32(e.array(), 0, crcLen));
            h.putInt(16, 0);
            h.putInt(16, GptReader.crc32(h.array(), 0, 92));
            ch.write(ByteBuffer.wrap(h.array()), 512);
            ch.write(ByteBuffer.wrap(e.array()), 1024);
        }
        return image;
    }

    private void assertCorrupt(Path image, String message) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            assertThatThrownBy(() -> reader.read(ch))
                    .isInstanceOf(ImageFormatException.class)
                    .hasMessageContaining(message)
                    .extracting(e -> ((ImageFormatException) e).code())
                    .isEqualTo(ReasonCode.GPT_CORRUPT);
        }
    }

    @Test
    void entryCountTimesEntrySizeOverflowIsRefusedNotAnIndexOutOfBounds() throws Exception {
        // (2^32 - 1) x (2^32 - 8) wraps to a negative long whose int cast is 8: the old reader read 8
        // bytes, matched their CRC and then indexed entry 0 past them (IndexOutOfBoundsException).
        Path image = patched("overflow", (h, e) -> {
            h.putInt(80, 0xffffffff);
            h.putInt(84, 0xfffffff8);
        });
        assertCorrupt(image, "entry size");
        // The largest entry size still allowed, with a count whose array exceeds the cap.
        assertCorrupt(
                patched("big", (h, e) -> {
                    h.putInt(80, 0xffffffff);
                    h.putInt(84, (int) GptReader.MAX_ENTRY_SIZE);
                }),
                "does not fit the image");
        // An entry array LBA whose byte offset overflows.
        assertCorrupt(patched("lba", (h, e) -> h.putLong(72, Long.MAX_VALUE / 256)), "does not fit the image");
    }

    @Test
    void lastLbaOfLongMaxIsRefusedNotANegativeSize() throws Exception {
        // last + 1 wrapped to Long.MIN_VALUE, passing the "inside the image" check; the size came out negative.
        assertCorrupt(
                patched("maxlba", (h, e) -> {
                    e.putLong(32, 1);
                    e.putLong(40, Long.MAX_VALUE);
                }),
                "outside the");
        assertCorrupt(
                patched("hugelba", (h, e) -> {
                    e.putLong(32, Long.MAX_VALUE / 512);
                    e.putLong(40, Long.MAX_VALUE / 512 + 1);
                }),
                "outside the");
    }

    @Test
    void nakedFileSystemHasNoTable() throws Exception {
        Path f = Files.write(dir.resolve("naked"), new byte[8192]);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            assertThat(reader.read(ch)).isEmpty();
        }
    }
}
