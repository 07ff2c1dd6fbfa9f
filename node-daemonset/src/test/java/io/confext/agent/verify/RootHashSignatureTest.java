package io.confext.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootHashSignatureTest {
    @TempDir
    Path dir;

    private static final String ROOT = "ab".repeat(32);

    private static byte[] padded(String json, int size) {
        byte[] b = Arrays.copyOf(json.getBytes(StandardCharsets.US_ASCII), size);
        return b;
    }

    private static ReasonCode code(byte[] raw) {
        try {
            RootHashSignature.fromPartition(raw);
            return null;
        } catch (ImageFormatException e) {
            return e.code();
        }
    }

    @Test
    void parsesJsonWithNulPadding() throws Exception {
        RootHashSignature s = RootHashSignature.fromPartition(padded(
                "{\"rootHash\":\"" + ROOT + "\",\"signature\":\"AAEC\"," + "\"certificateFingerprint\":\""
                        + "CD".repeat(32) + "\"}",
                4096));
        assertThat(s.rootHash()).isEqualTo(ROOT);
        assertThat(s.signature()).containsExactly(0, 1, 2);
        assertThat(s.certificateFingerprint()).contains("cd".repeat(32));
    }

    @Test
    void refusesBrokenPartitions() {
        byte[] trailing = padded("{\"rootHash\":\"" + ROOT + "\",\"signature\":\"AAEC\"}", 4096);
        trailing[4000] = 'x';
        assertThat(code(trailing)).as("bytes after the NUL padding started").isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
        assertThat(code(new byte[4096])).as("all NUL").isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
        assertThat(code(padded("{\"rootHash\":\"" + ROOT + "\"}", 4096)))
                .as("no signature")
                .isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
        assertThat(code(padded("{\"rootHash\":\"" + ROOT.toUpperCase() + "\",\"signature\":\"AAEC\"}", 4096)))
                .as("not lowercase")
                .isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
        assertThat(code(padded("{\"rootHash\":\"" + ROOT + "\",\"signature\":\"%%%\"}", 4096)))
                .as("bad base64")
                .isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
        assertThat(code(padded("[1,2]", 4096))).isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
    }

    @Test
    void signatureChecksAgainstOpensslSignerAndRejectsOtherText() throws Exception {
        TestImages.assumeTools("openssl");
        TestImages.Pki pki = TestImages.Pki.create(dir, "s");
        byte[] der = pki.sign(ROOT, dir);
        TrustedCertificates trusted = TrustedCertificates.fromPem(java.util.List.of(Files.readString(pki.cert())));
        RootHashSignatureVerifier v = new RootHashSignatureVerifier();

        assertThat(v.verify(ROOT, der, trusted).signerFingerprint()).contains(pki.fingerprint());
        assertThat(v.verify("cd".repeat(32), der, trusted).problem())
                .get()
                .extracting(Reason::code)
                .isEqualTo(ReasonCode.SIGNATURE_INVALID);
        assertThat(v.verify(ROOT, der, TrustedCertificates.none()).problem())
                .get()
                .extracting(Reason::code)
                .isEqualTo(ReasonCode.SIGNATURE_UNTRUSTED);
        assertThat(v.verify(ROOT, new byte[] {1, 2, 3}, trusted).problem())
                .get()
                .extracting(Reason::code)
                .isEqualTo(ReasonCode.SIGNATURE_MALFORMED);
    }

    @Test
    void nodeTrustComesFromEveryVerityDDirectory() throws Exception {
        TestImages.assumeTools("openssl");
        TestImages.Pki a = TestImages.Pki.create(dir, "a");
        TestImages.Pki b = TestImages.Pki.create(dir, "b");
        Path root = dir.resolve("host");
        Files.createDirectories(root.resolve("etc/verity.d"));
        Files.createDirectories(root.resolve("usr/lib/verity.d"));
        Files.copy(a.cert(), root.resolve("etc/verity.d/a.crt"));
        Files.copy(b.cert(), root.resolve("usr/lib/verity.d/b.crt"));
        Files.writeString(root.resolve("usr/lib/verity.d/ignored.pem"), "not a .crt");

        assertThat(TrustedCertificates.systemVerityD(root).certificates()).hasSize(2);
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=13\n");
        assertThat(HostRelease.read(root, "x86-64", 262).describe()).startsWith("debian 13");
    }

    @Test
    void nodeTrustBehindAbsoluteLinksIsReadInsideTheHostsRoot() throws Exception {
        TestImages.assumeTools("openssl");
        TestImages.Pki a = TestImages.Pki.create(dir, "a");
        Path root = dir.resolve("nixos");
        // NixOS builds /etc of absolute links into its store: through /proc/<pid>/root they would end in the agent's /
        Files.createDirectories(root.resolve("nix/store/abc-verity"));
        Files.copy(a.cert(), root.resolve("nix/store/abc-verity/a.crt"));
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/verity.d"), Path.of("/nix/store/abc-verity"));
        Files.createDirectories(root.resolve("run/verity.d"));
        Files.createSymbolicLink(root.resolve("run/verity.d/b.crt"), Path.of("/nix/store/abc-verity/a.crt"));
        Files.createSymbolicLink(root.resolve("run/verity.d/gone.crt"), Path.of("/nix/store/none.crt"));

        assertThat(TrustedCertificates.systemVerityD(root).certificates())
                .as("a.crt twice, the dangling link skipped")
                .hasSize(2)
                .allSatisfy(c -> assertThat(TrustedCertificates.fingerprint(c)).isEqualTo(a.fingerprint()));
    }
}
