package io.confext.agent.fetch;

/** Stable reason codes for a download that did not produce a verified file. */
public enum FetchFailure {
    BAD_URL,
    PLAIN_HTTP_REFUSED,
    NOT_FOUND,
    HTTP_ERROR,
    TLS_FAILURE,
    CONNECT_FAILED,
    TRUNCATED,
    STALLED,
    TOO_LARGE,
    SHA256_MISMATCH,
    STAGING_FAILED
}
