package io.confext.agent.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the kept seed corpus of {@link ParserFuzzTest}: valid minimal images built by the same
 * helpers as the other tests (mkfs.erofs, veritysetup, openssl, {@link GptWriter}), small enough
 * for a fuzzer to mutate. The files are committed; regenerate them (new keys, new bytes) with
 *
 * <pre>
 * nice -n 15 ./mvnw -B -o -pl node-daemonset test -Dtest=FuzzSeeds -Dconfext.fuzz.writeSeeds=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class FuzzSeeds {
    /** The root hash the PKCS#7 seed signs and the verity target expects. */
    static final String ROOT_HASH = "5b1e2e6f0c0ffee0d15ea5e5deadbeef00112233445566778899aabbccddeeff";

    private static final Path RESOURCES = Path.of("src/test/resources/io/confext/agent/verify");
    private static final Path INPUTS = RESOURCES.resolve("ParserFuzzTestInputs");

    @TempDir
    Path dir;

    /** Where a hash area starts in a verity target input: the first 512-aligned "verity\0\0" past byte 0, or -1. */
    static int verityMagicAt(byte[] b) {
        byte[] magic = {'v', 'e', 'r', 'i', 't', 'y', 0, 0};
        for (int i = 512; i + magic.length <= b.length; i += 512) {
            if (Arrays.equals(b, i, i + magic.length, magic, 0, magic.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    @EnabledIfSystemProperty(named = "confext.fuzz.writeSeeds", matches = "true")
    void write() throws IOException {
        TestImages.assumeTools("mkfs.erofs", "mksquashfs", "veritysetup", "openssl");
        TestImages.Pki pki = TestImages.Pki.create(dir, "fuzz-signer");
        Files.createDirectories(RESOURCES);
        Files.copy(
                pki.cert(), RESOURCES.resolve("fuzz-trusted.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Path tree = TestImages.tree(dir, "demo", "ID=_any\n", "etc/demo.conf", "value=1\n", "etc/sub/x.conf", "x");
        Files.createSymbolicLink(tree.resolve("etc/link"), Path.of("sub/x.conf"));
        Path erofs = dir.resolve("demo.erofs");
        TestImages.mkfsErofs(tree, erofs);
        Path hash = dir.resolve("demo.verity");
        String root = TestImages.verityFormat(erofs, hash);

        seed("erofs", "minimal", Files.readAllBytes(erofs));
        Path squashfs = dir.resolve("demo.squashfs");
        TestImages.mksquashfs(tree, squashfs);
        seed("squashfs", "minimal", Files.readAllBytes(squashfs));
        seed("verity", "erofs-and-hash-area", concat(Files.readAllBytes(erofs), Files.readAllBytes(hash)));

        byte[] der = pki.sign(ROOT_HASH, dir);
        seed("pkcs7", "signed-by-trusted", der);
        byte[] json = TestImages.signatureJson(ROOT_HASH, der, pki.fingerprint());
        int end = 0;
        while (json[end] != 0) {
            end++;
        }
        seed("signatureJson", "repart-style", Arrays.copyOf(json, end + 16));

        Path small = Files.write(dir.resolve("small"), new byte[1024]);
        Path gpt512 = dir.resolve("gpt512.raw");
        GptWriter.write(
                gpt512,
                512,
                List.of(
                        new GptWriter.Part(Architecture.X86_64.root(), UUID.randomUUID(), small, "root"),
                        new GptWriter.Part(Architecture.X86_64.rootVerity(), UUID.randomUUID(), small, "verity")),
                4096,
                4);
        seed("gpt", "two-partitions-512", Files.readAllBytes(gpt512));
        Path gpt4k = dir.resolve("gpt4k.raw");
        GptWriter.write(
                gpt4k,
                4096,
                List.of(new GptWriter.Part(Architecture.ARM64.root(), UUID.randomUUID(), small, "root")),
                4096,
                32);
        seed("gpt", "one-partition-4096", Files.readAllBytes(gpt4k));

        Path sig =
                Files.write(dir.resolve("sig"), TestImages.signatureJson(root, pki.sign(root, dir), pki.fingerprint()));
        Path ddi = dir.resolve("ddi.raw");
        GptWriter.write(
                ddi,
                512,
                List.of(
                        new GptWriter.Part(Architecture.X86_64.root(), UUID.randomUUID(), erofs, "root-x86-64"),
                        new GptWriter.Part(
                                Architecture.X86_64.rootVerity(), UUID.randomUUID(), hash, "root-x86-64-verity"),
                        new GptWriter.Part(
                                Architecture.X86_64.rootVeritySig(), UUID.randomUUID(), sig, "root-x86-64-verity-sig")),
                4096,
                4);
        seed("imageVerifier", "signed-ddi", Files.readAllBytes(ddi));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void seed(String target, String name, byte[] content) throws IOException {
        Path d = Files.createDirectories(INPUTS.resolve(target));
        Files.write(d.resolve(name), content);
    }
}
