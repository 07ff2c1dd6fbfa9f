package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user-space EROFS reader against trees written by mkfs.erofs. */
class ErofsReaderTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        TestImages.assumeTools("mkfs.erofs");
    }

    private Map<String, TreeEntry> walk(Path image) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            return new ErofsReader(ch, 0, ch.size())
                    .walk(1000).stream().collect(Collectors.toMap(TreeEntry::path, Function.identity()));
        }
    }

    @Test
    void listsTypesModesSizesAndLinkTargetsAsMkfsWroteThem() throws Exception {
        Path tree =
                TestImages.tree(dir, "demo", "ID=_any\n", "etc/demo.conf", "value=1\n", "etc/sub/deeper/x.conf", "x");
        String big = "0123456789abcdef".repeat(1000);
        Files.writeString(tree.resolve("etc/big.conf"), big);
        Files.createSymbolicLink(tree.resolve("etc/link"), Path.of("sub/deeper/x.conf"));
        Files.setPosixFilePermissions(tree.resolve("etc/demo.conf"), PosixFilePermissions.fromString("rw-r-----"));
        for (int i = 0; i < 300; i++) {
            Files.writeString(tree.resolve("etc/sub/many-" + i + ".conf"), "n=" + i);
        }
        Path image = dir.resolve("demo.raw");
        TestImages.mkfsErofs(tree, image);

        Map<String, TreeEntry> entries = walk(image);

        assertThat(entries)
                .containsKeys(
                        "etc",
                        "etc/demo.conf",
                        "etc/sub/deeper/x.conf",
                        "etc/big.conf",
                        "etc/link",
                        "etc/extension-release.d/extension-release.demo",
                        "etc/sub/many-299.conf");
        try (var source = Files.walk(tree)) {
            assertThat(entries.keySet())
                    .as("same paths as the source tree")
                    .containsExactlyInAnyOrderElementsOf(source.filter(p -> !p.equals(tree))
                            .map(p -> tree.relativize(p).toString())
                            .toList());
        }
        assertThat(entries.get("etc/demo.conf").mode()).isEqualTo(TreeEntry.S_IFREG | 0640);
        assertThat(entries.get("etc/big.conf").size()).isEqualTo(big.length());
        assertThat(entries.get("etc/link").symlinkTarget()).isEqualTo("sub/deeper/x.conf");
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ErofsReader r = new ErofsReader(ch, 0, ch.size());
            assertThat(new String(r.readFile(entries.get("etc/big.conf"), 1 << 20), StandardCharsets.UTF_8))
                    .isEqualTo(big);
            assertThat(new String(r.readFile(entries.get("etc/sub/many-7.conf"), 100), StandardCharsets.UTF_8))
                    .isEqualTo("n=7");
        }
    }

    @Test
    void readsExtendedInodes() throws Exception {
        Path tree = TestImages.tree(dir, "ext", "ID=_any\n", "etc/a.conf", "a");
        Path image = dir.resolve("ext.raw");
        Cmd.run("mkfs.erofs", "-E", "force-inode-extended", image.toString(), tree.toString());

        Map<String, TreeEntry> entries = walk(image);

        assertThat(entries.get("etc/a.conf").size()).isEqualTo(1);
        assertThat(entries.get("etc/extension-release.d/extension-release.ext").isRegular())
                .isTrue();
    }

    @Test
    void specialFilesKeepTheirTypeAndBits() throws Exception {
        Path tree = TestImages.tree(dir, "bad", "ID=_any\n", "etc/suid", "x");
        Files.setPosixFilePermissions(tree.resolve("etc/suid"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Cmd.run("chmod", "u+s", tree.resolve("etc/suid").toString());
        Cmd.run("mknod", tree.resolve("etc/null").toString(), "c", "1", "3");
        Cmd.run("mkfifo", tree.resolve("etc/fifo").toString());
        Path image = dir.resolve("bad.raw");
        TestImages.mkfsErofs(tree, image);

        Map<String, TreeEntry> entries = walk(image);

        assertThat(entries.get("etc/suid").mode() & TreeEntry.S_ISUID).isNotZero();
        assertThat(entries.get("etc/null").type()).isEqualTo(TreeEntry.S_IFCHR);
        assertThat(entries.get("etc/fifo").type()).isEqualTo(TreeEntry.S_IFIFO);
    }

    @Test
    void neverReadsOutsideTheGivenRange() throws Exception {
        Path tree = TestImages.tree(dir, "r", "ID=_any\n", "etc/a.conf", "a");
        Path image = dir.resolve("r.raw");
        TestImages.mkfsErofs(tree, image);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ErofsReader(ch, 0, 1024).walk(10))
                    .isInstanceOf(ImageFormatException.class)
                    .hasMessageContaining("outside");
            List<TreeEntry> all =
                    new ErofsReader(new ReadLimitChannel(FileChannel.open(image), ch.size()), 0, ch.size()).walk(10);
            assertThat(all).isNotEmpty();
        }
    }

    private ImageFormatException refusal(Path image, ErofsReader.Limits limits, int maxEntries) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ErofsReader r = new ErofsReader(ch, 0, ch.size(), limits);
            return org.assertj.core.api.Assertions.catchThrowableOfType(
                    ImageFormatException.class, () -> r.walk(maxEntries));
        }
    }

    @Test
    void theDefaultCapsFitTheAgentHeap() {
        ErofsReader.Limits d = ErofsReader.Limits.DEFAULT;
        assertThat(d.maxPathChars()).isEqualTo(4096);
        assertThat(d.maxDepth()).isEqualTo(64);
        // The largest single allocation a directory causes, and all path text kept: both far below -Xmx48m.
        assertThat(d.maxDirectoryBytes()).isLessThanOrEqualTo(1 << 20);
        assertThat(d.maxTotalPathChars() * 2).isLessThanOrEqualTo(8L << 20);
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
        TestImages.mkfsErofs(tree, image);
        ErofsReader.Limits d = ErofsReader.Limits.DEFAULT;
        assertThat(walk(image)).as("within the default caps").containsKey("etc/wide/entry-299.conf");

        ImageFormatException depth = refusal(
                image, new ErofsReader.Limits(d.maxPathChars(), 5, d.maxDirectoryBytes(), d.maxTotalPathChars()), 1000);
        assertThat(depth.code()).isEqualTo(ReasonCode.CONTENT_TOO_LARGE);
        assertThat(depth).hasMessageContaining("nested deeper than 5 levels");

        ImageFormatException path = refusal(
                image, new ErofsReader.Limits(200, d.maxDepth(), d.maxDirectoryBytes(), d.maxTotalPathChars()), 1000);
        assertThat(path.code()).isEqualTo(ReasonCode.CONTENT_TOO_LARGE);
        assertThat(path).hasMessageContaining("longer than 200 characters");

        ImageFormatException dirBytes = refusal(
                image, new ErofsReader.Limits(d.maxPathChars(), d.maxDepth(), 2048, d.maxTotalPathChars()), 1000);
        assertThat(dirBytes.code()).isEqualTo(ReasonCode.CONTENT_TOO_LARGE);
        assertThat(dirBytes).hasMessageContaining("above the 2048-byte limit for one directory");

        ImageFormatException total = refusal(
                image, new ErofsReader.Limits(d.maxPathChars(), d.maxDepth(), d.maxDirectoryBytes(), 3000), 1000);
        assertThat(total.code()).isEqualTo(ReasonCode.CONTENT_TOO_LARGE);
        assertThat(total).hasMessageContaining("paths add up to more than 3000 characters");

        // One directory with more entries than the whole walk may return is refused before its entries are kept.
        ImageFormatException entries = refusal(image, d, 100);
        assertThat(entries.code()).isEqualTo(ReasonCode.CONTENT_TOO_LARGE);
        assertThat(entries).hasMessageContaining("more than 100 entries");
    }
}
