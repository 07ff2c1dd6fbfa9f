package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.confext.testbed.ExecResult;
import io.confext.testbed.Host;
import io.confext.testbed.HostImage;
import io.confext.testbed.SystemdHost;
import io.confext.testbed.SystemdHostTest;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDIs nobody here wrote: built by {@code systemd-repart --make-ddi=confext} inside a booted
 * systemd 262 test host (it refuses to run in a bare chroot), then verified here, and tampered
 * copies refused. The root hash is cross-checked with repart's own report and with
 * {@code veritysetup verify} over the extracted partitions.
 */
@SystemdHostTest
class RepartDdiTest {
    @TempDir
    static Path out;

    static Path small;
    static Path big;
    static Path unsigned;
    static String smallRootHash;
    static String bigRootHash;

    private final ImageVerifier verifier = new ImageVerifier();
    private static final HostRelease FORKY = new HostRelease(Map.of("ID", "debian", "VERSION_ID", "14"), "x86-64", 262);

    @BeforeAll
    static void buildWithRepart(@Host(value = HostImage.FORKY, name = "repart") SystemdHost host) throws Exception {
        TestImages.assumeTools("veritysetup");
        host.execOk(
                "mkdir",
                "-p",
                "/tmp/ddi/small/etc/extension-release.d",
                "/tmp/ddi/big/etc/extension-release.d",
                "/tmp/ddi/out");
        host.writeFile(
                "/tmp/ddi/small/etc/extension-release.d/extension-release.chrony",
                "ID=debian\nVERSION_ID=14\n",
                "0644");
        host.writeFile("/tmp/ddi/small/etc/chrony.conf", "pool 2.debian.pool.ntp.org iburst\n", "0644");
        host.writeFile("/tmp/ddi/big/etc/extension-release.d/extension-release.big", "ID=_any\n", "0644");
        // 66 MiB of incompressible data: more than 128 x 128 blocks, so a 3-level hash tree.
        host.execOk(Duration.ofMinutes(3), "sh", "-c", "head -c 69206016 /dev/urandom > /tmp/ddi/big/etc/big.bin");
        host.execOk(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "/tmp/ddi/k.pem",
                "-out",
                "/tmp/ddi/signer.crt",
                "-days",
                "30",
                "-subj",
                "/CN=repart-test");
        smallRootHash = repart(host, "small", "chrony_1.raw", true);
        bigRootHash = repart(host, "big", "big_1.raw", true);
        repart(host, "small", "unsigned_1.raw", false);
        small = Files.copy(host.hostPath("/tmp/ddi/out/chrony_1.raw"), out.resolve("chrony_1.raw"));
        big = Files.copy(host.hostPath("/tmp/ddi/out/big_1.raw"), out.resolve("big_1.raw"));
        unsigned = Files.copy(host.hostPath("/tmp/ddi/out/unsigned_1.raw"), out.resolve("chrony_2.raw"));
        Files.createDirectories(out.resolve("verity.d"));
        Files.copy(host.hostPath("/tmp/ddi/signer.crt"), out.resolve("verity.d/signer.crt"));
    }

    /** Runs repart in the host; returns the root hash it reports. */
    private static String repart(SystemdHost host, String src, String name, boolean sign) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(
                "systemd-repart", "--copy-source=/tmp/ddi/" + src, "--offline=yes", "--json=short", "--no-pager"));
        if (sign) {
            argv.addAll(
                    List.of("--make-ddi=confext", "--private-key=/tmp/ddi/k.pem", "--certificate=/tmp/ddi/signer.crt"));
        } else {
            // --make-ddi=confext insists on signing: the same layout without the signature partition, from explicit
            // definitions.
            host.execOk("mkdir", "-p", "/tmp/ddi/unsigned.repart.d");
            host.writeFile(
                    "/tmp/ddi/unsigned.repart.d/10-root.conf",
                    "[Partition]\nType=root\nFormat=erofs\nCopyFiles=/etc/\n"
                            + "Verity=data\nVerityMatchKey=root\nMinimize=best\n",
                    "0644");
            host.writeFile(
                    "/tmp/ddi/unsigned.repart.d/20-verity.conf",
                    "[Partition]\nType=root-verity\nVerity=hash\nVerityMatchKey=root\n" + "Minimize=best\n",
                    "0644");
            argv.addAll(List.of(
                    "--definitions=/tmp/ddi/unsigned.repart.d", "--empty=create", "--size=auto", "--dry-run=no"));
        }
        argv.add("/tmp/ddi/out/" + name);
        ExecResult r = host.execOk(Duration.ofMinutes(5), argv.toArray(String[]::new));
        JsonNode parts = new ObjectMapper().readTree(r.stdout());
        for (JsonNode p : parts) {
            if (p.hasNonNull("roothash") && !p.get("roothash").asText().equals("TBD")) {
                return p.get("roothash").asText();
            }
        }
        throw new AssertionError("repart reported no root hash:\n" + r.stdout());
    }

    private Policy policy() throws Exception {
        return Policy.signedBy(TrustedCertificates.fromDirectories(List.of(out.resolve("verity.d"))))
                .withArchitecture(Architecture.X86_64)
                .withHost(FORKY, ExtensionReleaseMatcher.Scope.SYSTEM)
                .withMaxTreeBytes(256L << 20);
    }

    private static GptPartition part(Path image, java.util.UUID type) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            return new GptReader().read(ch).orElseThrow().ofType(type).get(0);
        }
    }

    private static Path extract(Path image, GptPartition p, Path to) throws Exception {
        try (FileChannel in = FileChannel.open(image);
                FileChannel o = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            in.transferTo(p.offset(), p.size(), o);
        }
        return to;
    }

    private static List<ReasonCode> codes(Verdict v) {
        return v.reasons().stream().map(Reason::code).toList();
    }

    @Test
    void repartDdisVerifyWithTheRootHashRepartAndVeritysetupReport() throws Exception {
        for (Path image : List.of(small, big)) {
            String expected = image == small ? smallRootHash : bigRootHash;
            Verdict v = verifier.verify(image, policy());
            assertThat(v.reasons()).as(image.getFileName().toString()).isEmpty();
            assertThat(v.rootHash()).isEqualTo(expected);
            assertThat(v.signerFingerprint()).isNotNull();
            Path data =
                    extract(image, part(image, Architecture.X86_64.root()), out.resolve(image.getFileName() + ".data"));
            Path hash = extract(
                    image, part(image, Architecture.X86_64.rootVerity()), out.resolve(image.getFileName() + ".hash"));
            assertThat(TestImages.veritysetupVerifies(data, hash, expected))
                    .as("veritysetup verify agrees")
                    .isTrue();
        }
        try (FileChannel ch = FileChannel.open(big)) {
            GptPartition d = part(big, Architecture.X86_64.root());
            GptPartition h = part(big, Architecture.X86_64.rootVerity());
            VeritySuperblock sb = new VerityVerifier()
                    .readSuperblock(new VerityVerifier.Areas(ch, d.offset(), d.size(), ch, h.offset(), h.size()));
            assertThat(VerityGeometry.of(sb, 32).levels()).isEqualTo(3);
        }
    }

    @Test
    void tamperedRepartCopiesAreRefusedEachWithItsOwnReason() throws Exception {
        Path data = TestImages.copy(small, out.resolve("t-data.raw"));
        GptPartition root = part(data, Architecture.X86_64.root());
        TestImages.flipByte(data, root.offset() + 100);
        assertThat(codes(verifier.verify(data, policy().withExtensionName("chrony"))))
                .contains(ReasonCode.VERITY_ROOT_HASH_MISMATCH);

        Path tree = TestImages.copy(big, out.resolve("t-tree.raw"));
        TestImages.flipByte(tree, part(tree, Architecture.X86_64.rootVerity()).offset() + 4096 + 9);
        assertThat(codes(verifier.verify(tree, policy().withExtensionName("big"))))
                .containsExactly(ReasonCode.VERITY_HASH_TREE_CORRUPT);

        Path sig = TestImages.copy(small, out.resolve("t-sig.raw"));
        GptPartition sigPart = part(sig, Architecture.X86_64.rootVeritySig());
        byte[] json = GptReader.readFully(FileChannel.open(sig), sigPart.offset(), 200);
        int at = new String(json, java.nio.charset.StandardCharsets.US_ASCII).indexOf("\"signature\":\"") + 40;
        TestImages.flipByte(sig, sigPart.offset() + at);
        List<ReasonCode> sigCodes = codes(verifier.verify(sig, policy().withExtensionName("chrony")));
        assertThat(sigCodes).hasSize(1).first().isIn(ReasonCode.SIGNATURE_INVALID, ReasonCode.SIGNATURE_MALFORMED);

        Path untrusted = out.resolve("other.d");
        Files.createDirectories(untrusted);
        TestImages.Pki other = TestImages.Pki.create(out, "other");
        Files.copy(other.cert(), untrusted.resolve("other.crt"));
        Policy otherTrust = Policy.signedBy(TrustedCertificates.fromDirectories(List.of(untrusted)))
                .withArchitecture(Architecture.X86_64)
                .withHost(FORKY, ExtensionReleaseMatcher.Scope.SYSTEM);
        assertThat(codes(verifier.verify(small, otherTrust))).containsExactly(ReasonCode.SIGNATURE_UNTRUSTED);

        assertThat(codes(verifier.verify(unsigned, policy()))).containsExactly(ReasonCode.SIGNATURE_MISSING);

        assertThat(codes(verifier.verify(small, policy().withArchitecture(Architecture.ARM64))))
                .containsExactly(ReasonCode.FOREIGN_ARCHITECTURE);

        HostRelease debian13 = new HostRelease(Map.of("ID", "debian", "VERSION_ID", "13"), "x86-64", 262);
        Verdict incompatible =
                verifier.verify(small, policy().withHost(debian13, ExtensionReleaseMatcher.Scope.SYSTEM));
        assertThat(codes(incompatible)).containsExactly(ReasonCode.EXTENSION_VERSION_MISMATCH);
        assertThat(incompatible.reasons().get(0).message())
                .contains("built for ID=debian VERSION_ID=14, host is debian 13");
    }
}
