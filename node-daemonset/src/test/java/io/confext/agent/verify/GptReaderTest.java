package io.confext.agent.verify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            assertThat(ErofsReader.isErofs(ch, rootPart.offset(), rootPart.size())).isTrue();
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
                assertThatThrownBy(() -> reader.read(ch)).isInstanceOf(ImageFormatException.class).hasMessageContaining("CRC32 mismatch")
                        .extracting(e -> ((ImageFormatException) e).code()).isEqualTo(ReasonCode.GPT_CORRUPT);
            }
        }
    }

    @Test
    void nakedFileSystemHasNoTable() throws Exception {
        Path f = Files.write(dir.resolve("naked"), new byte[8192]);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            assertThat(reader.read(ch)).isEmpty();
        }
    }
}
