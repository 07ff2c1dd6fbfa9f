package io.confext.agent.verify;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Every input to an image parser ends in an accept or a named refusal ({@link ImageFormatException}
 * with a {@link ReasonCode}, or a {@link Verdict}): never an unchecked exception, an error or a
 * negative size. Any other throwable escaping a target is a finding.
 *
 * <p>In a normal {@code mvn test} run each {@code @FuzzTest} replays its kept corpus, the files under
 * {@code src/test/resources/io/confext/agent/verify/ParserFuzzTestInputs/<method>/} (valid minimal
 * images written by {@link FuzzSeeds}, plus every crash found so far). To fuzz one target, e.g.:
 *
 * <pre>
 * JAZZER_FUZZ=1 nice -n 15 ./mvnw -B -o -pl node-daemonset test -Dtest='ParserFuzzTest#gpt' \
 *     -Djazzer.max_duration=3m -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Only one target is fuzzed per run. A crash is written to the Inputs directory of its target
 * (commit it with the fix: it becomes a regression input) and fails the run.
 */
class ParserFuzzTest {
    /** The bound of one fuzzing run unless -Djazzer.max_duration says otherwise. */
    private static final String MAX_DURATION = "3m";
    /** The root hash the kept PKCS#7 seed signs (FuzzSeeds.ROOT_HASH). */
    private static final String ROOT_HASH = FuzzSeeds.ROOT_HASH;

    private static final TrustedCertificates TRUSTED = trusted();

    /**
     * The last input byte (FuzzedDataProvider takes scalars from the end) chooses whether the
     * harness rewrites both GPT CRC32s to match: a fuzzer cannot forge a CRC, and without this it
     * would never get past the header check. An even byte (the seeds end in zero) fixes them.
     */
    @FuzzTest(maxDuration = MAX_DURATION)
    void gpt(FuzzedDataProvider data) throws IOException {
        boolean keepCrc = data.consumeBoolean();
        byte[] image = data.consumeRemainingAsBytes();
        if (!keepCrc) {
            fixGptCrcs(image);
        }
        Optional<GptTable> table;
        try {
            table = new GptReader().read(new ByteArrayChannel(image));
        } catch (ImageFormatException e) {
            refusal(e);
            return;
        }
        table.ifPresent(t -> t.partitions().forEach(p -> {
            check(
                    p.offset() >= 0 && p.size() > 0 && p.offset() <= image.length - p.size(),
                    "partition " + p.index() + " at " + p.offset() + " (" + p.size() + " bytes) outside the "
                            + image.length + "-byte image");
        }));
    }

    @FuzzTest(maxDuration = MAX_DURATION)
    void erofs(FuzzedDataProvider data) throws IOException {
        byte[] image = data.consumeRemainingAsBytes();
        try {
            walkAndRead(new ErofsReader(new ByteArrayChannel(image), 0, image.length));
        } catch (ImageFormatException e) {
            refusal(e);
        }
    }

    @FuzzTest(maxDuration = MAX_DURATION)
    void squashfs(FuzzedDataProvider data) throws IOException {
        byte[] image = data.consumeRemainingAsBytes();
        try {
            walkAndRead(new SquashfsReader(new ByteArrayChannel(image), 0, image.length));
        } catch (ImageFormatException e) {
            refusal(e);
        }
    }

    /** The whole tree, and every regular file in it: sizes and paths in bounds, or a named refusal. */
    private static void walkAndRead(FileTree reader) throws IOException, ImageFormatException {
        for (TreeEntry e : reader.walk(Policy.DEFAULT_MAX_ENTRIES)) {
            check(e.size() >= 0, e.path() + " has a negative size " + e.size());
            check(!e.path().isEmpty() && e.path().length() <= ErofsReader.MAX_PATH_CHARS, "path '" + e.path() + "'");
            if (e.isRegular()) {
                try {
                    byte[] content = reader.readFile(e, 64 * 1024);
                    check(
                            content.length == e.size(),
                            e.path() + " read " + content.length + " of " + e.size() + " bytes");
                } catch (ImageFormatException refused) {
                    refusal(refused);
                }
            }
        }
    }

    /** A hash area (from the first 512-aligned "verity" magic on) after the data it covers, as in a DDI. */
    @FuzzTest(maxDuration = MAX_DURATION)
    void verity(FuzzedDataProvider data) throws IOException {
        byte[] image = data.consumeRemainingAsBytes();
        int split = FuzzSeeds.verityMagicAt(image);
        ByteArrayChannel ch = new ByteArrayChannel(image);
        VerityVerifier.Areas areas = split < 0
                ? new VerityVerifier.Areas(ch, 0, image.length, ch, 0, image.length)
                : new VerityVerifier.Areas(ch, 0, split, ch, split, image.length - split);
        try {
            VerityVerifier.Result r = new VerityVerifier().verify(areas, ROOT_HASH, null);
            check(
                    r.superblock().coveredBytes() > 0 && r.superblock().coveredBytes() <= areas.dataAreaSize(),
                    "covered bytes " + r.superblock().coveredBytes());
            r.problem().ifPresent(p -> check(p.code() != null, "a problem without a code"));
        } catch (ImageFormatException e) {
            refusal(e);
        }
    }

    @FuzzTest(maxDuration = MAX_DURATION)
    void signatureJson(FuzzedDataProvider data) {
        byte[] raw = data.consumeRemainingAsBytes();
        try {
            RootHashSignature sig = RootHashSignature.fromPartition(raw);
            check(sig.rootHash() != null && sig.signature() != null, "accepted without a root hash or signature");
            // What the agent does next with an accepted partition: never an exception either.
            RootHashSignatureVerifier.Result r =
                    new RootHashSignatureVerifier().verify(sig.rootHash(), sig.signature(), TRUSTED);
            check(r.signerFingerprint().isPresent() != r.problem().isPresent(), "result " + r);
        } catch (ImageFormatException e) {
            refusal(e);
        }
    }

    @FuzzTest(maxDuration = MAX_DURATION)
    void pkcs7(FuzzedDataProvider data) {
        byte[] der = data.consumeRemainingAsBytes();
        RootHashSignatureVerifier.Result r = new RootHashSignatureVerifier().verify(ROOT_HASH, der, TRUSTED);
        check(r.signerFingerprint().isPresent() != r.problem().isPresent(), "result " + r);
        r.problem().ifPresent(p -> check(p.code() != null, "a problem without a code"));
    }

    /** The whole pipeline on a DDI: must return a Verdict for every file. */
    @FuzzTest(maxDuration = MAX_DURATION)
    void imageVerifier(FuzzedDataProvider data) throws IOException {
        boolean keepCrc = data.consumeBoolean();
        byte[] image = data.consumeRemainingAsBytes();
        if (!keepCrc) {
            fixGptCrcs(image);
        }
        Path dir = Files.createTempDirectory("fuzz-image");
        try {
            Path file = Files.write(dir.resolve("demo.raw"), image);
            Policy policy = Policy.signedBy(TRUSTED).withArchitecture(Architecture.X86_64);
            Verdict v = new ImageVerifier().verify(file, policy);
            check(v.accepted() == v.reasons().isEmpty(), "verdict " + v);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The kept seeds are valid images: fuzzing starts from the accept paths, not only from refusals. */
    @org.junit.jupiter.api.Test
    void keptSeedsReachTheAcceptPaths(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path ddi = Files.write(dir.resolve("demo.raw"), seed("imageVerifier/signed-ddi"));
        Verdict v = new ImageVerifier().verify(ddi, Policy.signedBy(TRUSTED).withArchitecture(Architecture.X86_64));
        org.assertj.core.api.Assertions.assertThat(v.reasons())
                .as(v.notes().toString())
                .isEmpty();
        org.assertj.core.api.Assertions.assertThat(new RootHashSignatureVerifier()
                        .verify(ROOT_HASH, seed("pkcs7/signed-by-trusted"), TRUSTED)
                        .problem())
                .isEmpty();
        org.assertj.core.api.Assertions.assertThat(new GptReader()
                        .read(new ByteArrayChannel(seed("gpt/two-partitions-512")))
                        .orElseThrow()
                        .partitions())
                .hasSize(2);
        byte[] erofs = seed("erofs/minimal");
        org.assertj.core.api.Assertions.assertThat(
                        new ErofsReader(new ByteArrayChannel(erofs), 0, erofs.length).walk(100))
                .extracting(TreeEntry::path)
                .contains("etc/link", "etc/sub/x.conf");
        org.assertj.core.api.Assertions.assertThat(RootHashSignature.fromPartition(seed("signatureJson/repart-style"))
                        .rootHash())
                .isEqualTo(ROOT_HASH);
    }

    private static byte[] seed(String name) throws IOException {
        try (InputStream in = ParserFuzzTest.class.getResourceAsStream("ParserFuzzTestInputs/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Makes the entry-array and header CRC32s of a GPT (if the input has one) match its bytes, as a writer would. */
    static void fixGptCrcs(byte[] image) {
        for (int sector : new int[] {512, 4096}) {
            if (image.length < 2 * sector
                    || !new String(image, sector, 8, StandardCharsets.US_ASCII).equals("EFI PART")) {
                continue;
            }
            java.nio.ByteBuffer h =
                    java.nio.ByteBuffer.wrap(image, sector, sector).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int headerSize = h.getInt(12);
            if (headerSize < 92 || headerSize > sector) {
                return;
            }
            long lba = h.getLong(72);
            long bytes = (h.getInt(80) & 0xffffffffL) * (h.getInt(84) & 0xffffffffL);
            // Also the old reader's view of an overflowing product: the int cast of it.
            long len = bytes >= 0 && bytes <= image.length ? bytes : Math.max(0, (int) bytes);
            if (lba >= 0 && lba <= image.length / sector && len <= image.length - lba * sector) {
                h.putInt(88, GptReader.crc32(image, (int) (lba * sector), (int) len));
            }
            h.putInt(16, 0);
            byte[] header = java.util.Arrays.copyOfRange(image, sector, sector + headerSize);
            h.putInt(16, GptReader.crc32(header, 0, headerSize));
            return;
        }
    }

    private static void refusal(ImageFormatException e) {
        check(
                e.code() != null && e.getMessage() != null && !e.getMessage().isBlank(),
                "a refusal without a code or message: " + e);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private static TrustedCertificates trusted() {
        try (InputStream in = ParserFuzzTest.class.getResourceAsStream("fuzz-trusted.crt")) {
            return TrustedCertificates.fromPem(List.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
