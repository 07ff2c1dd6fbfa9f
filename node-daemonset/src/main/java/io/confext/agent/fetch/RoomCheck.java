package io.confext.agent.fetch;

import java.util.Optional;

/**
 * Asked before a download writes its bytes, once the server said how many (its Content-Length; 0 when it did not
 * say): is there room for them? A refusal ends the download with {@link FetchFailure#NO_ROOM} and nothing written.
 */
@FunctionalInterface
public interface RoomCheck {
    /** Room for anything: downloads that no disk check guards. */
    RoomCheck ANY = bytes -> Optional.empty();

    /** Empty: there is room for {@code bytes} more; else why not, in words a person can act on. */
    Optional<String> refuse(long bytes);
}
