package io.confext.agent.fetch;

import io.confext.api.status.Reason;

/** Stable reason codes for a download that did not produce a verified file. */
public enum FetchFailure {
    BAD_URL(Reason.DownloadBadUrl),
    PLAIN_HTTP_REFUSED(Reason.DownloadPlainHttpRefused),
    NOT_FOUND(Reason.DownloadNotFound),
    HTTP_ERROR(Reason.DownloadHttpError),
    TLS_FAILURE(Reason.DownloadTlsFailure),
    CONNECT_FAILED(Reason.DownloadConnectFailed),
    TRUNCATED(Reason.DownloadTruncated),
    STALLED(Reason.DownloadStalled),
    TOO_LARGE(Reason.DownloadTooLarge),
    SHA256_MISMATCH(Reason.DownloadSha256Mismatch),
    STAGING_FAILED(Reason.DownloadStagingFailed),
    /** The node's disk has no room for the file beside the agent's margin (see {@link RoomCheck}). */
    NO_ROOM(Reason.DiskSpaceLow);

    private final Reason reason;

    FetchFailure(Reason reason) {
        this.reason = reason;
    }

    /** The reason a bundle whose image could not be downloaded reports in its status. */
    public Reason reason() {
        return reason;
    }
}
