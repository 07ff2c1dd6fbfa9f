package io.confext.agent.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.testsupport.ImageServer;
import io.confext.testsupport.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a local HTTPS server that misbehaves in the ways real networks do. */
class ImageFetcherTest {
    @TempDir
    Path staging;

    private TestTls tls;
    private ImageServer server;
    private final List<Duration> sleeps = new ArrayList<>();
    private final byte[] image = new byte[300_000];
    private String sha;

    @BeforeEach
    void start() throws Exception {
        new Random(1).nextBytes(image);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        tls = TestTls.create();
        server = new ImageServer(tls.server(), 3000);
        server.put("demo.raw", image);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ImageFetcher fetcher() {
        FetchSettings s = new FetchSettings(
                Duration.ofSeconds(2),
                Duration.ofMillis(700),
                3,
                Duration.ofMillis(100),
                Duration.ofMillis(300),
                Optional.of(tls.client()));
        return new ImageFetcher(s, sleeps::add);
    }

    private FetchResult fetch(String path) {
        return fetcher().fetch(new FetchRequest(server.uri(path), sha, 1 << 20, false), staging);
    }

    private void assertNothingStaged() throws Exception {
        try (var s = Files.list(staging)) {
            assertThat(s.toList()).as("nothing left in staging").isEmpty();
        }
    }

    private static FetchResult.Failed failed(FetchResult r) {
        assertThat(r).isInstanceOf(FetchResult.Failed.class);
        return (FetchResult.Failed) r;
    }

    @Test
    void downloadsAndChecksTheDigest() throws Exception {
        FetchResult r = fetch("/ok/demo.raw");
        assertThat(r).isInstanceOf(FetchResult.Fetched.class);
        FetchResult.Fetched f = (FetchResult.Fetched) r;
        assertThat(Files.readAllBytes(f.file())).isEqualTo(image);
        assertThat(f.sha256()).isEqualTo(sha);
        assertThat(f.file().getParent()).isEqualTo(staging);
    }

    @Test
    void resumesWithRangeAfterTheConnectionDropsHalfway() throws Exception {
        FetchResult r = fetch("/drop-once/demo.raw");

        assertThat(r).as(String.valueOf(r)).isInstanceOf(FetchResult.Fetched.class);
        assertThat(Files.readAllBytes(((FetchResult.Fetched) r).file())).isEqualTo(image);
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(server.ranges).containsExactly("null", "bytes=" + image.length / 2 + "-");
        assertThat(sleeps).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void notFoundIsNotRetried() throws Exception {
        FetchResult.Failed f = failed(fetch("/missing/demo.raw"));
        assertThat(f.reason()).isEqualTo(FetchFailure.NOT_FOUND);
        assertThat(f.attempts()).isEqualTo(1);
        assertThat(f.message()).contains("HTTP 404").contains("source.image.url");
        assertNothingStaged();
    }

    @Test
    void truncatedEveryTimeFailsAfterRetriesWithBackoff() throws Exception {
        FetchResult.Failed f = failed(fetch("/truncate/demo.raw"));
        assertThat(f.reason()).isEqualTo(FetchFailure.TRUNCATED);
        assertThat(f.attempts()).isEqualTo(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertNothingStaged();
    }

    @Test
    void stalledTransferIsDetected() throws Exception {
        FetchSettings s = new FetchSettings(
                Duration.ofSeconds(2),
                Duration.ofMillis(500),
                1,
                Duration.ofMillis(1),
                Duration.ofMillis(1),
                Optional.of(tls.client()));
        FetchResult.Failed f = failed(new ImageFetcher(s, sleeps::add)
                .fetch(new FetchRequest(server.uri("/stall/demo.raw"), sha, 1 << 20, false), staging));
        assertThat(f.reason()).isEqualTo(FetchFailure.STALLED);
        assertThat(f.message()).contains("stalled");
        assertNothingStaged();
    }

    @Test
    void wrongBytesAreADigestMismatchNamingBothDigests() throws Exception {
        String wrong = "ab12" + "0".repeat(60);
        FetchResult.Failed f =
                failed(fetcher().fetch(new FetchRequest(server.uri("/ok/demo.raw"), wrong, 1 << 20, false), staging));
        assertThat(f.reason()).isEqualTo(FetchFailure.SHA256_MISMATCH);
        assertThat(f.message())
                .isEqualTo("sha256 mismatch: expected " + wrong + ", got " + sha + "; the image at "
                        + server.uri("/ok/demo.raw") + " changed or the bundle's sha256 is wrong");
        assertNothingStaged();
    }

    @Test
    void tooLargeByDeclaredLengthOrByBytesSent() throws Exception {
        assertThat(failed(fetch("/huge/demo.raw")).reason()).isEqualTo(FetchFailure.TOO_LARGE);
        FetchResult.Failed f =
                failed(fetcher().fetch(new FetchRequest(server.uri("/ok/demo.raw"), sha, 1000, false), staging));
        assertThat(f.reason()).isEqualTo(FetchFailure.TOO_LARGE);
        assertNothingStaged();
    }

    @Test
    void noRoomForTheDeclaredLengthEndsTheDownloadBeforeAByteIsWrittenAndIsNotRetried() throws Exception {
        List<Long> asked = new ArrayList<>();
        RoomCheck full = bytes -> {
            asked.add(bytes);
            return Optional.of("the image of demo 1 needs " + bytes + " bytes");
        };
        FetchResult.Failed f = failed(
                fetcher().fetch(new FetchRequest(server.uri("/ok/demo.raw"), sha, 1 << 20, false, full), staging));
        assertThat(f.reason()).isEqualTo(FetchFailure.NO_ROOM);
        assertThat(f.reason().reason().name()).isEqualTo("DiskSpaceLow");
        assertThat(f.message()).isEqualTo("the image of demo 1 needs " + image.length + " bytes");
        assertThat(f.attempts()).isEqualTo(1);
        assertThat(asked).containsExactly((long) image.length); // the server's Content-Length
        assertNothingStaged();
    }

    @Test
    void roomForTheDeclaredLengthDownloadsAsBefore() {
        List<Long> asked = new ArrayList<>();
        FetchResult r = fetcher()
                .fetch(
                        new FetchRequest(server.uri("/ok/demo.raw"), sha, 1 << 20, false).withRoom(bytes -> {
                            asked.add(bytes);
                            return Optional.empty();
                        }),
                        staging);
        assertThat(r).isInstanceOf(FetchResult.Fetched.class);
        assertThat(asked).containsExactly((long) image.length);
    }

    @Test
    void untrustedServerCertificateIsATlsFailure() throws Exception {
        FetchSettings s = new FetchSettings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                3,
                Duration.ofMillis(1),
                Duration.ofMillis(1),
                Optional.empty());
        FetchResult.Failed f = failed(new ImageFetcher(s, sleeps::add)
                .fetch(new FetchRequest(server.uri("/ok/demo.raw"), sha, 1 << 20, false), staging));
        assertThat(f.reason()).isEqualTo(FetchFailure.TLS_FAILURE);
        assertThat(f.attempts()).isEqualTo(1);
        assertNothingStaged();
    }

    @Test
    void transientServerErrorsAreRetried() throws Exception {
        FetchResult r = fetch("/flaky/demo.raw");
        assertThat(r).isInstanceOf(FetchResult.Fetched.class);
        assertThat(r.attempts()).isEqualTo(3);
    }

    @Test
    void plainHttpOnlyWhenTheBundleOptedIn() throws Exception {
        try (ImageServer plain = new ImageServer(null, 0)) {
            plain.put("demo.raw", image);
            FetchResult.Failed refused =
                    failed(fetcher().fetch(new FetchRequest(plain.uri("/ok/demo.raw"), sha, 1 << 20, false), staging));
            assertThat(refused.reason()).isEqualTo(FetchFailure.PLAIN_HTTP_REFUSED);
            assertThat(plain.ranges).as("no request was made").isEmpty();
            FetchResult ok = fetcher().fetch(new FetchRequest(plain.uri("/ok/demo.raw"), sha, 1 << 20, true), staging);
            assertThat(ok).isInstanceOf(FetchResult.Fetched.class);
        }
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws Exception {
        java.net.URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = java.net.URI.create("https://127.0.0.1:" + s.getLocalPort() + "/x.raw");
        }
        FetchResult.Failed f = failed(fetcher().fetch(new FetchRequest(dead, sha, 1 << 20, false), staging));
        assertThat(f.reason()).isEqualTo(FetchFailure.CONNECT_FAILED);
        assertThat(f.attempts()).isEqualTo(3);
        assertNothingStaged();
    }
}
