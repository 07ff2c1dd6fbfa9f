package io.confext.agent.verify;

/**
 * Stable codes for every way an image can be refused. They appear in the offline command's output (as the code) and
 * in node status and events (as the catalogue reason each one names), so they are part of the contract: never rename
 * one.
 */
public enum ReasonCode {
    IMAGE_UNREADABLE(io.confext.api.status.Reason.ImageUnreadable),
    SHA256_MISMATCH(io.confext.api.status.Reason.Sha256Mismatch),
    UNKNOWN_IMAGE_FORMAT(io.confext.api.status.Reason.UnknownImageFormat),
    GPT_CORRUPT(io.confext.api.status.Reason.GptCorrupt),
    NO_ROOT_PARTITION(io.confext.api.status.Reason.NoRootPartition),
    FOREIGN_ARCHITECTURE(io.confext.api.status.Reason.ForeignArchitecture),
    VERITY_MISSING(io.confext.api.status.Reason.VerityMissing),
    VERITY_SUPERBLOCK_INVALID(io.confext.api.status.Reason.VeritySuperblockInvalid),
    VERITY_ROOT_HASH_MISMATCH(io.confext.api.status.Reason.VerityRootHashMismatch),
    VERITY_HASH_TREE_CORRUPT(io.confext.api.status.Reason.VerityHashTreeCorrupt),
    ROOT_HASH_MISSING(io.confext.api.status.Reason.RootHashMissing),
    SIGNATURE_MISSING(io.confext.api.status.Reason.SignatureMissing),
    SIGNATURE_MALFORMED(io.confext.api.status.Reason.SignatureMalformed),
    SIGNATURE_ROOT_HASH_MISMATCH(io.confext.api.status.Reason.SignatureRootHashMismatch),
    SIGNATURE_UNTRUSTED(io.confext.api.status.Reason.SignatureUntrusted),
    SIGNATURE_INVALID(io.confext.api.status.Reason.SignatureInvalid),
    FILE_SYSTEM_CORRUPT(io.confext.api.status.Reason.FileSystemCorrupt),
    CONTENT_UNINSPECTABLE(io.confext.api.status.Reason.ContentUninspectable),
    CONTENT_OUTSIDE_ETC(io.confext.api.status.Reason.ContentOutsideEtc),
    CONTENT_SETUID(io.confext.api.status.Reason.ContentSetuid),
    CONTENT_DEVICE_NODE(io.confext.api.status.Reason.ContentDeviceNode),
    CONTENT_FIFO(io.confext.api.status.Reason.ContentFifo),
    CONTENT_SOCKET(io.confext.api.status.Reason.ContentSocket),
    CONTENT_SYMLINK_ESCAPES(io.confext.api.status.Reason.ContentSymlinkEscapes),
    CONTENT_OS_RELEASE(io.confext.api.status.Reason.ContentOsRelease),
    CONTENT_TOO_LARGE(io.confext.api.status.Reason.ContentTooLarge),
    EXTENSION_RELEASE_MISSING(io.confext.api.status.Reason.ExtensionReleaseMissing),
    EXTENSION_RELEASE_EMPTY(io.confext.api.status.Reason.ExtensionReleaseEmpty),
    EXTENSION_SCOPE_MISMATCH(io.confext.api.status.Reason.ExtensionScopeMismatch),
    EXTENSION_ARCHITECTURE_MISMATCH(io.confext.api.status.Reason.ExtensionArchitectureMismatch),
    EXTENSION_ID_MISSING(io.confext.api.status.Reason.ExtensionIdMissing),
    EXTENSION_ID_MISMATCH(io.confext.api.status.Reason.ExtensionIdMismatch),
    EXTENSION_LEVEL_MISMATCH(io.confext.api.status.Reason.ExtensionLevelMismatch),
    EXTENSION_VERSION_MISMATCH(io.confext.api.status.Reason.ExtensionVersionMismatch);

    private final io.confext.api.status.Reason reason;

    ReasonCode(io.confext.api.status.Reason reason) {
        this.reason = reason;
    }

    /** The reason a bundle refused with this code reports in its status. */
    public io.confext.api.status.Reason reason() {
        return reason;
    }
}
