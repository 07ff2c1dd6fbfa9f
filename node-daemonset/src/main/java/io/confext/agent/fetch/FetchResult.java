package io.confext.agent.fetch;

import java.nio.file.Path;

/** What a download ended in: a staged file whose sha256 matched, or a typed failure with nothing left behind. */
public sealed interface FetchResult {
    int attempts();

    /** @param file the staged file, in the staging directory given to the fetcher; the caller moves or deletes it */
    record Fetched(Path file, String sha256, long size, int attempts) implements FetchResult {}

    record Failed(FetchFailure reason, String message, int attempts) implements FetchResult {
        @Override
        public String toString() {
            return reason + ": " + message;
        }
    }
}
