package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole verification over images made by third-party tools (mkfs.erofs, veritysetup, openssl,
 * systemd-repart), and tampered copies of them: each tampering must be refused with its own code.
 */
class ImageVerifierTest {
    @TempDir
    Path dir;

    private final ImageVerifier verifier = new ImageVerifier();
    private TestImages.Pki trusted;
    private static final HostRelease DEBIAN_13 =
            new HostRelease(Map.of("ID", "debian", "VERSION_ID", "13"), "x86-64", 262);

    @BeforeAll
    static void tools() {
        TestImages.assumeTools("mkfs.erofs", "veritysetup", "openssl", "systemd-repart");
    }

    @BeforeEach
    void pki() {
        trusted = TestImages.Pki.create(dir, "trusted");
    }

    private Policy policy() throws IOException {
        return Policy.signedBy(TrustedCertificates.fromDirectories(List.of(dir.resolve("verity.d"))))
                .withArchitecture(Architecture.X86_64)
                .withHost(DEBIAN_13, ExtensionReleaseMatcher.Scope.SYSTEM);
    }

    private void trust(TestImages.Pki pki) throws IOException {
        Files.createDirectories(dir.resolve("verity.d"));
        Files.copy(pki.cert(), dir.resolve("verity.d").resolve(pki.cert().getFileName()));
    }

    private Path signedDdi(String name, String release, String... files) throws IOException {
        Path image = dir.resolve(name + "_1.raw");
        TestImages.ddi(TestImages.tree(dir, name, release, files), image, trusted, "x86-64");
        return image;
    }

    private GptPartition part(Path image, java.util.UUID type) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            return new GptReader().read(ch).orElseThrow().ofType(type).get(0);
        }
    }

    private static List<ReasonCode> codes(Verdict v) {
        return v.reasons().stream().map(Reason::code).toList();
    }

    @Test
    void signedDdiIsAcceptedWithTheRootHashVeritysetupReportsAndTheSignersFingerprint() throws Exception {
        trust(trusted);
        Path image = dir.resolve("chrony_4.5.raw");
        String root = TestImages.ddi(
                TestImages.tree(dir, "chrony", "ID=debian\nVERSION_ID=13\n", "etc/chrony/chrony.conf", "pool x\n"),
                image,
                trusted,
                "x86-64");

        Verdict v = verifier.verify(image, policy().withSha256(sha256(image)));

        assertThat(v.reasons()).isEmpty();
        assertThat(v.accepted()).isTrue();
        assertThat(v.rootHash()).isEqualTo(root);
        assertThat(v.signerFingerprint()).isEqualTo(trusted.fingerprint());
        assertThat(v.extensionName()).isEqualTo("chrony");
    }

    @Test
    void signedNakedImageWithSidecarsIsAccepted() throws Exception {
        trust(trusted);
        Path image = dir.resolve("sshd_2.raw");
        String root = TestImages.naked(
                TestImages.tree(dir, "sshd", "ID=_any\n", "etc/ssh/sshd_config.d/x.conf", "Port 22\n"), image, trusted);

        Verdict v = verifier.verify(image, policy());

        assertThat(v.reasons()).isEmpty();
        assertThat(v.rootHash()).isEqualTo(root);
        assertThat(v.signerFingerprint()).isEqualTo(trusted.fingerprint());
    }

    @Test
    void signedNakedSquashfsImageIsAcceptedAndItsContentIsInspected() throws Exception {
        trust(trusted);
        Path image = dir.resolve("sshd_3.raw");
        String root = TestImages.nakedSquashfs(
                TestImages.tree(dir, "sshd", "ID=_any\n", "etc/ssh/sshd_config.d/x.conf", "Port 22\n"), image, trusted);

        Verdict v = verifier.verify(image, policy());

        assertThat(v.reasons()).isEmpty();
        assertThat(v.rootHash()).isEqualTo(root);
        assertThat(v.extensionName()).isEqualTo("sshd");
        assertThat(v.notes()).anyMatch(n -> n.contains("extension-release.sshd"));

        Path tree = TestImages.tree(dir, "bad", "ID=_any\n", "etc/bad.sh", "#!/bin/sh\n");
        Cmd.run("chmod", "4755", tree.resolve("etc/bad.sh").toString());
        Path setuid = dir.resolve("bad_1.raw");
        TestImages.nakedSquashfs(tree, setuid, trusted);
        assertThat(verifier.verify(setuid, policy()).reasons())
                .extracting(Reason::code)
                .containsExactly(ReasonCode.CONTENT_SETUID);
    }

    @Test
    void largeDdiWithAThreeLevelTreeIsAccepted() throws Exception {
        trust(trusted);
        Path tree = TestImages.tree(dir, "big", "ID=_any\n");
        byte[] buf = new byte[1 << 20];
        Random r = new Random(7);
        try (OutputStream out = Files.newOutputStream(tree.resolve("etc/big.bin"))) {
            for (int i = 0; i < 66; i++) {
                r.nextBytes(buf);
                out.write(buf);
            }
        }
        Path image = dir.resolve("big.raw");
        String root = TestImages.ddi(tree, image, trusted, "x86-64");

        Verdict v = verifier.verify(image, policy().withMaxTreeBytes(128L << 20));

        assertThat(v.reasons()).isEmpty();
        assertThat(v.rootHash()).isEqualTo(root);
        GptPartition data = part(image, Architecture.X86_64.root());
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            VeritySuperblock sb = new VerityVerifier()
                    .readSuperblock(new VerityVerifier.Areas(
                            ch,
                            data.offset(),
                            data.size(),
                            ch,
                            part(image, Architecture.X86_64.rootVerity()).offset(),
                            part(image, Architecture.X86_64.rootVerity()).size()));
            assertThat(VerityGeometry.of(sb, 32).levels()).isEqualTo(3);
        }
    }

    @Test
    void ddiWith4096ByteSectorsIsAccepted() throws Exception {
        trust(trusted);
        Path tree = TestImages.tree(dir, "fourk", "ID=_any\n", "etc/a.conf", "a");
        Path fs = dir.resolve("fs.erofs");
        Path hash = dir.resolve("fs.verity");
        TestImages.mkfsErofs(tree, fs);
        String root = TestImages.verityFormat(fs, hash);
        Path sig = Files.write(dir.resolve("sig"), TestImages.signatureJson(root, trusted.sign(root, dir), null));
        Path image = dir.resolve("fourk.raw");
        GptWriter.write(
                image,
                4096,
                List.of(
                        new GptWriter.Part(Architecture.X86_64.root(), UUID.randomUUID(), fs, "root"),
                        new GptWriter.Part(Architecture.X86_64.rootVerity(), UUID.randomUUID(), hash, "verity"),
                        new GptWriter.Part(Architecture.X86_64.rootVeritySig(), UUID.randomUUID(), sig, "sig")));

        Verdict v = verifier.verify(image, policy());

        assertThat(v.reasons()).isEmpty();
        assertThat(v.rootHash()).isEqualTo(root);
    }

    @Test
    void flippedDataByte() throws Exception {
        trust(trusted);
        Path image = signedDdi("data", "ID=_any\n", "etc/a.conf", "x".repeat(20000));
        GptPartition root = part(image, Architecture.X86_64.root());
        TestImages.flipByte(image, root.offset() + 3 * 4096 + 10);

        assertThat(codes(verifier.verify(image, policy())))
                .contains(ReasonCode.VERITY_ROOT_HASH_MISMATCH)
                .doesNotContain(ReasonCode.VERITY_HASH_TREE_CORRUPT, ReasonCode.SIGNATURE_INVALID);
    }

    @Test
    void flippedHashTreeByte() throws Exception {
        trust(trusted);
        Path image = signedDdi("tree", "ID=_any\n", "etc/a.conf", "x".repeat(20000));
        TestImages.flipByte(image, part(image, Architecture.X86_64.rootVerity()).offset() + 4096 + 7);

        assertThat(codes(verifier.verify(image, policy()))).containsExactly(ReasonCode.VERITY_HASH_TREE_CORRUPT);
    }

    @Test
    void flippedByteInTheSignatureJson() throws Exception {
        trust(trusted);
        Path image = signedDdi("sig", "ID=_any\n");
        // Offset 15 is inside the "rootHash" value: swap that hex digit for another hex digit, so the
        // JSON stays well-formed but the signed text changed.
        long at = part(image, Architecture.X86_64.rootVeritySig()).offset() + 15;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.seek(at);
            int c = f.read();
            f.seek(at);
            f.write(c == '0' ? '1' : '0');
        }

        List<ReasonCode> codes = codes(verifier.verify(image, policy()));
        assertThat(codes).contains(ReasonCode.SIGNATURE_INVALID);
    }

    @Test
    void garbageInTheSignaturePartitionIsMalformed() throws Exception {
        trust(trusted);
        Path image = signedDdi("sig2", "ID=_any\n");
        TestImages.flipByte(
                image, part(image, Architecture.X86_64.rootVeritySig()).offset() + 1);

        assertThat(codes(verifier.verify(image, policy()))).contains(ReasonCode.SIGNATURE_MALFORMED);
    }

    @Test
    void signatureByAnUntrustedCertificate() throws Exception {
        trust(TestImages.Pki.create(dir, "other"));
        Path image = signedDdi("untrusted", "ID=_any\n");

        Verdict v = verifier.verify(image, policy());
        assertThat(codes(v)).containsExactly(ReasonCode.SIGNATURE_UNTRUSTED);
        assertThat(v.signerFingerprint()).isNull();
    }

    @Test
    void unsignedImageWhereASignatureIsRequired() throws Exception {
        trust(trusted);
        Path image = dir.resolve("unsigned.raw");
        String root = TestImages.ddi(TestImages.tree(dir, "unsigned", "ID=_any\n"), image, null, "x86-64");

        Verdict v = verifier.verify(image, policy());
        assertThat(codes(v)).containsExactly(ReasonCode.SIGNATURE_MISSING);
        assertThat(v.rootHash())
                .as("root hash from the partition UUIDs still checked")
                .isEqualTo(root);
        assertThat(verifier.verify(image, policy().withRequireSignature(false)).accepted())
                .isTrue();
    }

    @Test
    void partitionTypeOfAForeignArchitecture() throws Exception {
        trust(trusted);
        Path image = dir.resolve("arm_1.raw");
        TestImages.ddi(TestImages.tree(dir, "arm", "ID=_any\n"), image, trusted, "arm64");

        Verdict v = verifier.verify(image, policy());
        assertThat(codes(v)).containsExactly(ReasonCode.FOREIGN_ARCHITECTURE);
        assertThat(v.reasons().get(0).message()).contains("arm64").contains("x86-64");
        assertThat(verifier.verify(image, policy().withArchitecture(Architecture.ARM64))
                        .accepted())
                .isTrue();
    }

    @Test
    void incompatibleExtensionRelease() throws Exception {
        trust(trusted);
        Path image = signedDdi("fed", "ID=fedora\nVERSION_ID=40\n");

        Verdict v = verifier.verify(image, policy());
        assertThat(codes(v)).containsExactly(ReasonCode.EXTENSION_ID_MISMATCH);
        assertThat(v.reasons().get(0).message()).contains("built for ID=fedora VERSION_ID=40, host is debian 13");
    }

    @Test
    void missingExtensionReleaseForTheImageName() throws Exception {
        trust(trusted);
        Path image = dir.resolve("wrongname_1.raw");
        TestImages.ddi(TestImages.tree(dir, "othername", "ID=_any\n"), image, trusted, "x86-64");

        assertThat(codes(verifier.verify(image, policy()))).containsExactly(ReasonCode.EXTENSION_RELEASE_MISSING);
    }

    @Test
    void contentPolicyViolationsAreAllReported() throws Exception {
        trust(trusted);
        Path tree = TestImages.tree(dir, "evil", "ID=_any\n", "etc/suid", "x", "etc/os-release", "ID=evil\n");
        Cmd.run("chmod", "4755", tree.resolve("etc/suid").toString());
        Cmd.run("mknod", tree.resolve("etc/null").toString(), "c", "1", "3");
        Cmd.run("mkfifo", tree.resolve("etc/fifo").toString());
        Files.createSymbolicLink(tree.resolve("etc/shadow-link"), Path.of("../root/.ssh/authorized_keys"));
        Path image = dir.resolve("evil.raw");
        TestImages.ddi(tree, image, trusted, "x86-64");

        Verdict v = verifier.verify(image, policy());

        assertThat(codes(v))
                .containsExactlyInAnyOrder(
                        ReasonCode.CONTENT_SETUID,
                        ReasonCode.CONTENT_DEVICE_NODE,
                        ReasonCode.CONTENT_FIFO,
                        ReasonCode.CONTENT_SYMLINK_ESCAPES,
                        ReasonCode.CONTENT_OS_RELEASE);
        assertThat(v.rootHash()).as("verity and signature were fine").isNotNull();
        assertThat(v.signerFingerprint()).isEqualTo(trusted.fingerprint());
    }

    @Test
    void treeOverTheSizeCap() throws Exception {
        trust(trusted);
        Path image = signedDdi("fat", "ID=_any\n", "etc/blob", "y".repeat(50_000));

        assertThat(codes(verifier.verify(image, policy().withMaxTreeBytes(10_000))))
                .containsExactly(ReasonCode.CONTENT_TOO_LARGE);
    }

    @Test
    void wrongSha256NamesBothDigests() throws Exception {
        trust(trusted);
        Path image = signedDdi("sha", "ID=_any\n");
        String wrong = "ab12" + "0".repeat(60);

        Verdict v = verifier.verify(image, policy().withSha256(wrong));
        assertThat(codes(v)).containsExactly(ReasonCode.SHA256_MISMATCH);
        assertThat(v.reasons().get(0).message()).contains("expected " + wrong).contains("got " + sha256(image));
    }

    @Test
    void tamperedNakedImagesAreRefused() throws Exception {
        trust(trusted);
        Path image = dir.resolve("n.raw");
        TestImages.naked(TestImages.tree(dir, "n", "ID=_any\n", "etc/a.conf", "z".repeat(30000)), image, trusted);
        Path hash = dir.resolve("n.verity");
        TestImages.flipByte(hash, 4096 + 1);
        assertThat(codes(verifier.verify(image, policy()))).containsExactly(ReasonCode.VERITY_HASH_TREE_CORRUPT);
        TestImages.flipByte(hash, 4096 + 1);
        TestImages.flipByte(image, 3 * 4096);
        assertThat(codes(verifier.verify(image, policy()))).contains(ReasonCode.VERITY_ROOT_HASH_MISMATCH);
        TestImages.flipByte(image, 3 * 4096);
        Files.delete(dir.resolve("n.roothash.p7s"));
        assertThat(codes(verifier.verify(image, policy()))).containsExactly(ReasonCode.SIGNATURE_MISSING);
    }

    @Test
    void notAnImageAtAll() throws Exception {
        Path junk = Files.write(dir.resolve("junk.raw"), new byte[10000]);
        assertThat(codes(verifier.verify(junk, policy()))).containsExactly(ReasonCode.UNKNOWN_IMAGE_FORMAT);
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
