package io.confext.agent.fetch;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.OptionalLong;

/**
 * Any Content-Range header is a resume or a restart, never an exception. Replays the kept corpus in
 * {@code ContentRangeFuzzTestInputs/resumedTotal/} in normal runs; fuzz it with
 * {@code JAZZER_FUZZ=1 ... -Dtest='ContentRangeFuzzTest' -Djazzer.max_duration=1m} (see ParserFuzzTest).
 */
class ContentRangeFuzzTest {
    @FuzzTest(maxDuration = "1m")
    void resumedTotal(FuzzedDataProvider data) {
        long have = data.consumeLong(0, 1L << 40);
        String header = data.consumeRemainingAsString();
        OptionalLong total = ImageFetcher.resumedTotal(header, have);
        if (total.isPresent() && total.getAsLong() < -1) {
            throw new AssertionError("negative total " + total + " from '" + header + "'");
        }
    }
}
