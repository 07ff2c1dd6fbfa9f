package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.agent.verify.Policy;
import io.confext.agent.verify.TrustedCertificates;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusedImagesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final Policy POLICY =
            Policy.signedBy(TrustedCertificates.none()).withSha256("ab".repeat(32));
    private static final RefusedImages.Key KEY =
            new RefusedImages.Key("demo", "2", "sha256:rev", "https://img/demo_2.raw", "ab".repeat(32), POLICY);
    private static final ImageStager.Result.Refused VERITY =
            new ImageStager.Result.Refused("VerityRootHashMismatch", "bad data");

    private final RefusedImages memory = new RefusedImages(Duration.ofHours(1));

    @Test
    void aVerdictOnPinnedContentStandsForTheHold() {
        assertThat(memory.recall(KEY, T0)).isEmpty();
        var stands = memory.remember(KEY, VERITY, T0).orElseThrow();
        assertThat(stands.retryAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(memory.recall(KEY, T0.plusSeconds(3599)).orElseThrow().refusal())
                .isEqualTo(VERITY);
        assertThat(memory.recall(KEY, T0.plusSeconds(3600)))
                .as("expired: fetched and checked once more")
                .isEmpty();
        assertThat(memory.recall(KEY, T0.plusSeconds(1)))
                .as("an expired refusal is gone, not revived")
                .isEmpty();
    }

    @Test
    void otherInputsAreCheckedAfresh() {
        memory.remember(KEY, VERITY, T0);
        assertThat(memory.recall(
                        new RefusedImages.Key(
                                "demo", "2", "sha256:rev", KEY.url(), KEY.sha256(), POLICY.withRequireSignature(false)),
                        T0))
                .as("other policy (trust, host, architecture)")
                .isEmpty();
        assertThat(memory.recall(
                        new RefusedImages.Key("demo", "2", "sha256:rev", KEY.url(), "cd".repeat(32), POLICY), T0))
                .as("other digest")
                .isEmpty();
        assertThat(memory.recall(new RefusedImages.Key("demo", "3", "sha256:rev", KEY.url(), KEY.sha256(), POLICY), T0))
                .as("other version")
                .isEmpty();
        assertThat(memory.recall(
                        new RefusedImages.Key("demo", "2", "sha256:rev2", KEY.url(), KEY.sha256(), POLICY), T0))
                .as("other revision (limits, trust)")
                .isEmpty();
        assertThat(memory.recall(KEY, T0)).isPresent();
    }

    @Test
    void failuresARetryMayCureAreNotRemembered() {
        for (String reason : new String[] {
            "DownloadConnectFailed",
            "DownloadTlsFailure",
            "DownloadStalled",
            "DownloadTruncated",
            "DownloadHttpError",
            "DownloadNotFound",
            "TrustUnavailable",
            "DiskSpaceLow"
        }) {
            assertThat(memory.remember(KEY, new ImageStager.Result.Refused(reason, "x"), T0))
                    .as(reason)
                    .isEmpty();
            assertThat(memory.recall(KEY, T0)).as(reason).isEmpty();
        }
        for (String reason : new String[] {
            "DownloadSha256Mismatch",
            "DownloadTooLarge",
            "SignatureUntrusted",
            "ExtensionIdMismatch",
            "ContentSetuid",
            "ForeignArchitecture"
        }) {
            assertThat(memory.remember(KEY, new ImageStager.Result.Refused(reason, "x"), T0))
                    .as(reason)
                    .isPresent();
        }
    }

    @Test
    void aTransientFailureClearsAnEarlierVerdict() {
        memory.remember(KEY, VERITY, T0);
        memory.remember(KEY, new ImageStager.Result.Refused("DownloadStalled", "x"), T0);
        assertThat(memory.recall(KEY, T0)).isEmpty();
    }

    @Test
    void removingTheBundleForgetsItsRefusals() {
        var other = new RefusedImages.Key("other", "2", "sha256:rev", KEY.url(), KEY.sha256(), POLICY);
        memory.remember(KEY, VERITY, T0);
        memory.remember(other, VERITY, T0);
        memory.forget("demo");
        assertThat(memory.recall(KEY, T0)).isEmpty();
        assertThat(memory.recall(other, T0)).isPresent();
    }

    @Test
    void theMemoryIsBounded() {
        for (int i = 0; i < 200; i++) {
            memory.remember(
                    new RefusedImages.Key("demo", "v" + i, "sha256:rev", KEY.url(), KEY.sha256(), POLICY), VERITY, T0);
        }
        assertThat(memory.recall(
                        new RefusedImages.Key("demo", "v0", "sha256:rev", KEY.url(), KEY.sha256(), POLICY), T0))
                .as("eldest evicted")
                .isEmpty();
        assertThat(memory.recall(
                        new RefusedImages.Key("demo", "v199", "sha256:rev", KEY.url(), KEY.sha256(), POLICY), T0))
                .isPresent();
    }

    @Test
    void aNegativeHoldIsRefused() {
        assertThatThrownBy(() -> new RefusedImages(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
