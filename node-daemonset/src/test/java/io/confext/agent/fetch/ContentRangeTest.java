package io.confext.agent.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The 206 answer's Content-Range: a resume only when it starts exactly where the file ends; never a NumberFormatException. */
class ContentRangeTest {
    @Test
    void resumesOnlyAtTheBytesAlreadyHeld() {
        assertThat(ImageFetcher.resumedTotal("bytes 100-199/200", 100)).isEqualTo(OptionalLong.of(200));
        assertThat(ImageFetcher.resumedTotal("bytes 100-199/*", 100)).isEqualTo(OptionalLong.of(-1));
        assertThat(ImageFetcher.resumedTotal("bytes 0-199/200", 100)).isEmpty();
    }

    @Test
    void malformedRangesAreARestartNotAnException() {
        // 20 digits: Long.parseLong threw NumberFormatException out of the fetcher.
        assertThat(ImageFetcher.resumedTotal("bytes 100-199/99999999999999999999", 100))
                .isEmpty();
        assertThat(ImageFetcher.resumedTotal("bytes 99999999999999999999-1/2", 100))
                .isEmpty();
        assertThat(ImageFetcher.resumedTotal("bytes 100-99/200", 100))
                .as("end before start")
                .isEmpty();
        assertThat(ImageFetcher.resumedTotal("bytes 100-200/200", 100))
                .as("end past the total")
                .isEmpty();
        assertThat(ImageFetcher.resumedTotal("bytes 100-\u0661\u0662/200", 100))
                .as("non-ASCII digits")
                .isEmpty();
        assertThat(ImageFetcher.resumedTotal("", 100)).isEmpty();
        assertThat(ImageFetcher.resumedTotal(null, 100)).isEmpty();
    }
}
