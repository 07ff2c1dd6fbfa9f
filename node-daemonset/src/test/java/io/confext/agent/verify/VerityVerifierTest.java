package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user-space dm-verity check against veritysetup format/verify as the oracle. */
class VerityVerifierTest {
    @TempDir
    Path dir;

    private final VerityVerifier verifier = new VerityVerifier();

    @BeforeAll
    static void tools() {
        TestImages.assumeTools("veritysetup");
    }

    private Path randomFile(String name, long size, long seed) throws IOException {
        Path f = dir.resolve(name);
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(f)) {
            for (long left = size; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return f;
    }

    private VerityVerifier.Result verify(Path data, Path hash, String root) throws Exception {
        try (FileChannel d = FileChannel.open(data, StandardOpenOption.READ);
                FileChannel h = FileChannel.open(hash, StandardOpenOption.READ)) {
            return verifier.verify(new VerityVerifier.Areas(d, 0, d.size(), h, 0, h.size()), root, null);
        }
    }

    @Test
    void oneBlockTreeHasNoHashBlocksAndMatchesVeritysetup() throws Exception {
        Path data = randomFile("one.img", 4096, 1);
        Path hash = dir.resolve("one.verity");
        String root = TestImages.verityFormat(data, hash);
        assertThat(Files.size(hash)).as("veritysetup wrote only the superblock").isEqualTo(4096);

        VerityVerifier.Result r = verify(data, hash, root);

        assertThat(r.rootHash()).isEqualTo(root);
        assertThat(r.problem()).isEmpty();
        assertThat(VerityGeometry.of(r.superblock(), 32).levels()).isZero();
    }

    @Test
    void threeLevelTreeMatchesVeritysetup() throws Exception {
        // 16385+ data blocks need three levels of 128-way hash blocks.
        Path data = randomFile("big.img", 65L * 1024 * 1024 + 4096, 2);
        Path hash = dir.resolve("big.verity");
        String root = TestImages.verityFormat(data, hash);

        VerityVerifier.Result r = verify(data, hash, root);

        assertThat(VerityGeometry.of(r.superblock(), 32).levels()).isEqualTo(3);
        assertThat(r.rootHash()).isEqualTo(root);
        assertThat(r.problem()).isEmpty();
        assertThat(TestImages.veritysetupVerifies(data, hash, root)).isTrue();
    }

    @Test
    void flippedDataByteIsARootHashMismatchThatNamesTheBlocks() throws Exception {
        Path data = randomFile("d.img", 1024 * 1024, 3);
        Path hash = dir.resolve("d.verity");
        String root = TestImages.verityFormat(data, hash);
        TestImages.flipByte(data, 200 * 4096 + 17);

        VerityVerifier.Result r = verify(data, hash, root);

        assertThat(TestImages.veritysetupVerifies(data, hash, root))
                .as("oracle agrees the data is bad")
                .isFalse();
        assertThat(r.problem()).get().extracting(Reason::code).isEqualTo(ReasonCode.VERITY_ROOT_HASH_MISMATCH);
        assertThat(r.problem().get().message()).contains("data blocks 128..255");
    }

    @Test
    void flippedHashTreeByteIsTreeCorruptionNotDataMismatch() throws Exception {
        Path data = randomFile("t.img", 1024 * 1024, 4);
        Path hash = dir.resolve("t.verity");
        String root = TestImages.verityFormat(data, hash);
        TestImages.flipByte(hash, 4096 + 40);

        VerityVerifier.Result r = verify(data, hash, root);

        assertThat(TestImages.veritysetupVerifies(data, hash, root))
                .as("oracle agrees the tree is bad")
                .isFalse();
        assertThat(r.rootHash()).isEqualTo(root);
        assertThat(r.problem()).get().extracting(Reason::code).isEqualTo(ReasonCode.VERITY_HASH_TREE_CORRUPT);
    }

    @Test
    void hashesOnlyTheCoveredRangeAndNeverTheBytesPastIt() throws Exception {
        // Like a repart partition: the file system is followed by padding the tree does not cover.
        Path data = randomFile("pad.img", 40 * 4096, 5);
        Path hash = dir.resolve("pad.verity");
        String root = TestImages.verityFormat(data, hash);
        try (FileChannel d = FileChannel.open(data, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            d.write(java.nio.ByteBuffer.wrap(new byte[3 * 4096 + 100]));
        }
        TestImages.flipByte(data, 40 * 4096 + 5);
        try (FileChannel h = FileChannel.open(hash, StandardOpenOption.READ)) {
            FileChannel d = new ReadLimitChannel(FileChannel.open(data, StandardOpenOption.READ), 40 * 4096);
            try (d) {
                VerityVerifier.Result r =
                        verifier.verify(new VerityVerifier.Areas(d, 0, Files.size(data), h, 0, h.size()), root, null);
                assertThat(r.problem()).isEmpty();
                assertThat(r.rootHash()).isEqualTo(root);
            }
        }
    }

    @Test
    void superblockOfAnotherFormatIsRefused() throws Exception {
        Path data = randomFile("s.img", 8192, 6);
        Path hash = dir.resolve("s.verity");
        String root = TestImages.verityFormat(data, hash);
        TestImages.flipByte(hash, 0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verify(data, hash, root))
                .isInstanceOf(ImageFormatException.class)
                .extracting(e -> ((ImageFormatException) e).code())
                .isEqualTo(ReasonCode.VERITY_SUPERBLOCK_INVALID);
    }
}
