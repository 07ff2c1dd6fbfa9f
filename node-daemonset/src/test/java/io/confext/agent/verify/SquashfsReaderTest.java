package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The user-space squashfs reader against trees written by mksquashfs, in each of its compressors, and damaged ones. */
class SquashfsReaderTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        TestImages.assumeTools("mksquashfs");
    }

    private Map<String, TreeEntry> walk(Path image) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            return new SquashfsReader(ch, 0, ch.size())
                    .walk(1000).stream().collect(Collectors.toMap(TreeEntry::path, Function.identity()));
        }
    }

    /** A tree with small files (fragments), a file of several blocks, a hard link, a symlink, a wide directory. */
    private Path richTree(String big) throws Exception {
        Path tree =
                TestImages.tree(dir, "demo", "ID=_any\n", "etc/demo.conf", "value=1\n", "etc/sub/deeper/x.conf", "x");
        Files.writeString(tree.resolve("etc/big.conf"), big);
        Files.createLink(tree.resolve("etc/big-again.conf"), tree.resolve("etc/big.conf"));
        Files.createSymbolicLink(tree.resolve("etc/link"), Path.of("sub/deeper/x.conf"));
        Files.setPosixFilePermissions(tree.resolve("etc/demo.conf"), PosixFilePermissions.fromString("rw-r-----"));
        for (int i = 0; i < 300; i++) { // more than one directory header (256 entries) and metadata block
            Files.writeString(tree.resolve("etc/sub/many-" + i + "-" + "n".repeat(30) + ".conf"), "n=" + i);
        }
        Files.write(tree.resolve("etc/sparse.bin"), new byte[3 * 4096]); // all zero: mksquashfs writes sparse blocks
        return tree;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "lzo", "lz4", "zstd", "none"})
    void listsAndReadsTheTreeAsMksquashfsWroteItInEachCompression(String comp) throws Exception {
        String big = "0123456789abcdef".repeat(1000) + "tail";
        Path tree = richTree(big);
        Path image = dir.resolve("demo-" + comp + ".raw");
        if (comp.equals("none")) {
            TestImages.mksquashfs(tree, image, "-noI", "-noD", "-noF", "-noX");
        } else {
            TestImages.mksquashfs(tree, image, "-comp", comp);
        }

        Map<String, TreeEntry> entries = walk(image);

        try (var source = Files.walk(tree)) {
            assertThat(entries.keySet())
                    .as("same paths as the source tree")
                    .containsExactlyInAnyOrderElementsOf(source.filter(p -> !p.equals(tree))
                            .map(p -> tree.relativize(p).toString())
                            .toList());
        }
        assertThat(entries.get("etc/demo.conf").mode()).isEqualTo(TreeEntry.S_IFREG | 0640);
        assertThat(entries.get("etc/sub").isDirectory()).isTrue();
        assertThat(entries.get("etc/big.conf").size()).isEqualTo(big.length());
        assertThat(entries.get("etc/link").isSymlink()).isTrue();
        assertThat(entries.get("etc/link").symlinkTarget()).isEqualTo("sub/deeper/x.conf");
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            SquashfsReader r = new SquashfsReader(ch, 0, ch.size());
            assertThat(text(r, entries.get("etc/big.conf")))
                    .as("blocks and a fragment tail")
                    .isEqualTo(big);
            assertThat(text(r, entries.get("etc/big-again.conf")))
                    .as("a hard link: an extended file inode")
                    .isEqualTo(big);
            assertThat(text(r, entries.get("etc/sub/many-7-" + "n".repeat(30) + ".conf")))
                    .isEqualTo("n=7");
            assertThat(text(r, entries.get("etc/demo.conf"))).isEqualTo("value=1\n");
            assertThat(r.readFile(entries.get("etc/sparse.bin"), 1 << 16)).isEqualTo(new byte[3 * 4096]);
            assertThat(text(r, entries.get("etc/extension-release.d/extension-release.demo")))
                    .isEqualTo("ID=_any\n");
        }
    }

    private static String text(SquashfsReader r, TreeEntry e) throws Exception {
        return new String(r.readFile(e, 1 << 20), StandardCharsets.UTF_8);
    }

    @Test
    void specialFilesKeepTheirTypeAndBits() throws Exception {
        Path tree = TestImages.tree(dir, "bad", "ID=_any\n", "etc/suid", "x");
        Files.setPosixFilePermissions(tree.resolve("etc/suid"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Cmd.run("chmod", "u+s,g+s", tree.resolve("etc/suid").toString());
        Cmd.run("mknod", tree.resolve("etc/null").toString(), "c", "1", "3");
        Cmd.run("mknod", tree.resolve("etc/loop").toString(), "b", "7", "0");
        Cmd.run("mkfifo", tree.resolve("etc/fifo").toString());
        Path image = dir.resolve("bad.raw");
        TestImages.mksquashfs(tree, image);

        Map<String, TreeEntry> entries = walk(image);

        assertThat(entries.get("etc/suid").mode() & (TreeEntry.S_ISUID | TreeEntry.S_ISGID))
                .isEqualTo(TreeEntry.S_ISUID | TreeEntry.S_ISGID);
        assertThat(entries.get("etc/null").type()).isEqualTo(TreeEntry.S_IFCHR);
        assertThat(entries.get("etc/loop").type()).isEqualTo(TreeEntry.S_IFBLK);
        assertThat(entries.get("etc/fifo").type()).isEqualTo(TreeEntry.S_IFIFO);
        // and the content policy, which saw nothing of a squashfs before, refuses each of them
        List<Reason> refusals = new ContentPolicy().check(List.copyOf(entries.values()), Policy.DEFAULT_MAX_TREE_BYTES);
        assertThat(refusals)
                .extracting(Reason::code)
                .contains(ReasonCode.CONTENT_SETUID, ReasonCode.CONTENT_DEVICE_NODE, ReasonCode.CONTENT_FIFO);
    }

    @Test
    void neverReadsOutsideTheGivenRange() throws Exception {
        Path tree = TestImages.tree(dir, "r", "ID=_any\n", "etc/a.conf", "a");
        Path image = dir.resolve("r.raw");
        TestImages.mksquashfs(tree, image);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ImageFormatException e =
                    catchThrowableOfType(ImageFormatException.class, () -> new SquashfsReader(ch, 0, 200).walk(10));
            assertThat(e.code()).isEqualTo(ReasonCode.FILE_SYSTEM_CORRUPT);
            assertThat(e).hasMessageContaining("outside");
        }
    }

    @Test
    void theLegacyLzmaCompressionIsUninspectableWithAHint() throws Exception {
        Path tree = TestImages.tree(dir, "l", "ID=_any\n", "etc/a.conf", "a");
        Path image = dir.resolve("l.raw");
        TestImages.mksquashfs(tree, image);
        byte[] b = Files.readAllBytes(image);
        b[20] = 2; // compression id: lzma
        Files.write(image, b);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ImageFormatException e = catchThrowableOfType(
                    ImageFormatException.class, () -> new SquashfsReader(ch, 0, ch.size()).walk(10));
            assertThat(e.code()).isEqualTo(ReasonCode.CONTENT_UNINSPECTABLE);
            assertThat(e).hasMessageContaining("lzma").hasMessageContaining("-comp gzip");
        }
    }

    @Test
    void walkRefusesTreesPastEachCap() throws Exception {
        Path tree = TestImages.tree(dir, "caps", "ID=_any\n", "etc/a.conf", "a");
        Path deep = tree.resolve("etc");
        for (int i = 0; i < 10; i++) {
            deep = Files.createDirectories(deep.resolve("level-" + i + "-" + "x".repeat(40)));
        }
        Files.writeString(deep.resolve("leaf.conf"), "leaf");
        for (int i = 0; i < 300; i++) {
            Files.writeString(Files.createDirectories(tree.resolve("etc/wide")).resolve("entry-" + i + ".conf"), "n");
        }
        Path image = dir.resolve("caps.raw");
        TestImages.mksquashfs(tree, image);
        ErofsReader.Limits d = ErofsReader.Limits.DEFAULT;
        assertThat(walk(image)).as("within the default caps").containsKey("etc/wide/entry-299.conf");

        assertThat(refusal(
                        image,
                        new ErofsReader.Limits(d.maxPathChars(), 5, d.maxDirectoryBytes(), d.maxTotalPathChars()),
                        1000))
                .hasMessageContaining("nested deeper than 5 levels");
        assertThat(refusal(
                        image,
                        new ErofsReader.Limits(200, d.maxDepth(), d.maxDirectoryBytes(), d.maxTotalPathChars()),
                        1000))
                .hasMessageContaining("longer than 200 characters");
        assertThat(refusal(
                        image,
                        new ErofsReader.Limits(d.maxPathChars(), d.maxDepth(), 2048, d.maxTotalPathChars()),
                        1000))
                .hasMessageContaining("above the 2048-byte limit for one directory");
        assertThat(refusal(
                        image,
                        new ErofsReader.Limits(d.maxPathChars(), d.maxDepth(), d.maxDirectoryBytes(), 3000),
                        1000))
                .hasMessageContaining("paths add up to more than 3000 characters");
        assertThat(refusal(image, d, 100)).hasMessageContaining("more than 100 entries");
    }

    private ImageFormatException refusal(Path image, ErofsReader.Limits limits, int maxEntries) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            SquashfsReader r = new SquashfsReader(ch, 0, ch.size(), limits);
            ImageFormatException e = catchThrowableOfType(ImageFormatException.class, () -> r.walk(maxEntries));
            assertThat(e).isNotNull();
            assertThat(e.code()).isEqualTo(ReasonCode.CONTENT_TOO_LARGE);
            return e;
        }
    }

    /**
     * Hostile images: every single-byte change and truncation of a real image ends in a listing or a named refusal,
     * never another exception, a negative size or an endless walk. (ParserFuzzTest#squashfs does the same with
     * coverage guidance when fuzzing is switched on.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "lz4", "zstd"})
    void damagedImagesEndInANamedRefusalOrAListing(String comp) throws Exception {
        Path tree = TestImages.tree(dir, "h", "ID=_any\n", "etc/a.conf", "a", "etc/sub/b.conf", "b".repeat(9000));
        Files.createSymbolicLink(tree.resolve("etc/link"), Path.of("sub/b.conf"));
        Path image = dir.resolve("h-" + comp + ".raw");
        TestImages.mksquashfs(tree, image, "-comp", comp);
        byte[] good = Files.readAllBytes(image);
        Random random = new Random(comp.hashCode());
        int refusals = 0;
        for (int round = 0; round < 400; round++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            int len = round % 10 == 0 ? random.nextInt(bad.length) : bad.length;
            if (!listsOrRefuses(bad, len)) {
                refusals++;
            }
        }
        assertThat(refusals).as("some of the damage was noticed").isPositive();
    }

    /** True when the image was listed, false when refused; anything else fails the test. */
    private static boolean listsOrRefuses(byte[] image, int len) throws Exception {
        try {
            SquashfsReader r = new SquashfsReader(new ByteArrayChannel(image), 0, len);
            for (TreeEntry e : r.walk(Policy.DEFAULT_MAX_ENTRIES)) {
                assertThat(e.size()).as(e.path()).isNotNegative();
                if (e.isRegular()) {
                    try {
                        assertThat(r.readFile(e, 64 * 1024)).hasSize((int) e.size());
                    } catch (ImageFormatException refused) {
                        assertThat(refused.code()).isNotNull();
                    }
                }
            }
            return true;
        } catch (ImageFormatException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
    }
}
