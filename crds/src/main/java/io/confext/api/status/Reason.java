package io.confext.api.status;

import java.util.Optional;

/**
 * Every reason the operator and the agents write into a status: the {@code reason} of a ConfextBundle's or a
 * ConfextNode's condition, of a bundle's {@code status.failures[]} and of a node's {@code status.bundles[]}. The
 * constant's name is the word on the wire (CamelCase, as metav1 Conditions want it), so users, alerts and
 * {@code docs/troubleshooting.md} match on it: never rename one. {@link #meaning()} says in one line when it is
 * written; the troubleshooting guide says what to do about it (a test keeps both in step).
 */
public enum Reason {
    // --- ConfextBundle conditions (operator, StatusAggregator) ---
    RolloutComplete("Available/Progressing: the target version is on every targeted node"),
    StableVersionServing("Available: the last fully rolled out version still serves while a newer one rolls out"),
    NoVersionRolledOut("Available=False: no version of the bundle was fully rolled out yet"),
    CanaryInProgress("Progressing: the canary nodes are getting the new version"),
    WavesInProgress("Progressing: waves of at most maxUnavailable nodes are getting the new version"),
    WaitingMinReady("Progressing: updated nodes must stay Active for minReadySeconds before the next wave"),
    NodesWaitForUnitRestart(
            "Progressing: every other node is done; the rest wait for someone else to restart their units (spec.firstAttach: WaitForUnitRestart)"),
    ProgressDeadlineExceeded("Progressing/Degraded: no node became ready within progressDeadlineSeconds"),
    Halted("Progressing=False: a node failed and spec.rollout.onFailure is Halt; no new node is started"),
    RollingBack("Progressing/Degraded: the new version failed and every node is moved back to the stable one"),
    RolledBack("Progressing/Degraded: every node is back on the stable version after the new one failed"),
    PausedBySpec("Paused/Progressing: spec.rollout.paused is true; no new node is started"),
    NotPaused("Paused=False: the rollout is not paused"),
    AsExpected("Degraded=False: no node failed"),
    NodeFailed("Degraded: at least one node failed the version (status.failures names them)"),
    NodeDegraded(
            "Degraded: a node proved the version, then a unit failed, stopped, restarted or lost it (phase Degraded)"),
    Failed("status.failures: a node reported a failed phase without a reason"),
    WaitingForNodes("Terminating: a deleted bundle waits for its nodes to report it removed"),

    // --- Events on a ConfextBundle (operator, BundleEvents); RolloutComplete, NodeFailed and the Degraded reasons
    // of an invalid spec or a refused downgrade are events too, with the same meaning as above ---
    WaveStarted("event: a wave started; the message names the version and the nodes"),
    RolloutHalted("event: a node failed and spec.rollout.onFailure is Halt; no new node is started"),
    RollbackStarted("event: the version failed with onFailure Rollback; every node is moved back"),
    RollbackPlanned(
            "event: the new target is a marked way back (a version of status.history, or an allowed downgrade)"),
    UndoApplied("event: the confext.io/undo annotation set the spec back to a stored revision"),
    UndoRefused("event: the confext.io/undo annotation named no version the bundle can go back to"),
    DeletionTimedOut("event: a deleted bundle was released before every node reported it removed"),

    // --- ConfextBundle Degraded: the spec cannot be frozen into a revision (operator, RevisionFreezer) ---
    InvalidSpec("Degraded: the spec is incomplete or contradictory (the message names the field)"),
    SourceNamespaceNotAllowed(
            "Degraded: source.configMapRef or source.secret names a namespace the operator may not read"),
    ConfigMapNotFound("Degraded: the ConfigMap named in source.configMapRef does not exist"),
    InvalidConfigMap("Degraded: the ConfigMap has binaryData, or no data keys"),
    TrustNamespaceNotAllowed("Degraded: verification.secretRef names a Secret outside the operator's namespace"),
    SecretNotFound("Degraded: the trust Secret named in verification.secretRef does not exist"),
    InvalidTrustSecret("Degraded: the trust Secret holds no *.crt PEM certificate, or a key that is not one"),
    SourceSecretNotFound("Degraded: the Secret named in source.secret does not exist"),
    InvalidSourceSecret("Degraded: the source Secret has no data keys, or lacks a key named in source.secret.items"),
    VersionReused("Degraded: the content changed but spec.version did not"),

    // --- ConfextBundle: going back and which nodes can run it (operator, UndoPlanner and NodeEligibility) ---
    RollbackToDeliveredVersion(
            "rollout direction: spec.version went back to a version of status.history; a marked rollback"),
    DowngradeAllowedBySpec(
            "rollout direction: an older version never delivered, allowed by spec.rollout.allowDowngrade"),
    DowngradeNotAllowed("Degraded: spec.version is older than what the bundle delivered and was never delivered by it"),
    NoEligibleNodes("Progressing=False/Degraded: nodes match the selector, but none of them can run the bundle"),
    WaitingForAgents(
            "Progressing=True: nodes match the selector, but none has a ready agent yet; nothing is rolled out"),
    ConfextUnsupported("status.notEligibleNodes: the host's systemd is older than 254 (no configuration extensions)"),
    ReloadRefreshUnsupported(
            "status.notEligibleNodes: reload: Reload on a host whose systemd cannot refresh on reload (< 258)"),

    // --- ConfextNode Ready condition (agent, StatusBuilder) ---
    AgentReady("Ready: the agent reaches the host's systemd and converges the node"),
    HostUnreachable("Ready=False, or a bundle Pending: the agent cannot reach the host's systemd"),

    // --- a node's bundle entry: the desired revision (agent, kube) ---
    Held("Pending: the agent leaves the host unchanged because the set it should have cannot be known yet"),
    RevisionMissing("Pending: the ControllerRevision the node names does not exist (yet); the agent retries"),
    InvalidDesiredBundle("Failed: the node's spec.bundles[] entry has an incomplete revision reference"),
    InvalidRevision("Failed: the ControllerRevision's data cannot be decoded"),
    DigestMismatch("Failed: the ControllerRevision's content does not have the digest the node names"),
    SecretUnavailable(
            "Pending: the revision's copy Secret (or a key of it) cannot be read: deleted, or the agent may not get it; the agent retries"),
    SecretContentChanged(
            "Failed: a file of the revision's copy Secret does not have the sha256 frozen in the revision; not staged"),

    // --- a node's bundle entry: refused before the host is touched (agent, BundlePlanner) ---
    ScopeChange("Failed: the bundle's scope changed while it is applied on the node"),
    NoConfextSupport("Failed: the host's systemd is older than 254 and has no configuration extensions"),
    NoUnits("Failed: a Service-scope bundle names no unit"),
    InvalidBundle("Failed: the inline files cannot be written as a confext (bad path or mode)"),
    DowngradeRefused("Failed: the version is older than the newest applied on the node and no rollback was asked"),
    AgentError("Failed: the agent hit an unexpected error applying the bundle (the message names it)"),

    // --- a node's bundle entry: what became of a proven unit (agent, unithealth) ---
    UnitFailed("Degraded/RolledBack: a proven unit failed (exit status or signal; rolled back inside minReadySeconds)"),
    UnitStopped("Degraded/RolledBack: a proven unit was stopped"),
    UnitRestarted("Degraded: a proven unit runs with another main process and has not run long enough to count again"),
    UnitNoLongerSees("Degraded/RolledBack: a proven unit's main process no longer sees the version"),
    HealthCheckFailed(
            "Degraded/RolledBack: a health check of the bundle's own (spec.healthChecks) failed failureThreshold times in a row (rolled back inside minReadySeconds)"),

    // --- a node's bundle entry: the node's own checks (agent, trust and NodeChecks) ---
    HostPathSymlink(
            "Failed: a symbolic link sits where the agent writes on the host (state dir, .v/, drop-in dir): removed by hand"),
    HostPathLinkLoop("Failed: a host path the agent follows goes through more than 40 symbolic links"),
    HostPathNotNormal("Failed: a unit or bundle name made a host path with '.' or '..'"),
    NodePolicyDenied("Failed: the node's policy or its built-in floor refused a path or the scope of the bundle"),
    NodePolicyInvalid(
            "Failed: the node's /etc/confext-operator/policy.yaml cannot be read or is invalid (fail closed)"),
    SignatureRequired(
            "Failed: the cluster or the node requires signed images and this image is not signed by a trusted key"),
    TrustProvenanceUnknown(
            "Failed: the revision's trust Secret has no recorded namespace (frozen by an older operator)"),
    StoredImageRefused("Failed: an image kept in .v/ no longer passes the current revision's checks; quarantined"),

    // --- a node's bundle entry: progress and result (agent, SystemdHostApplier and UnitActivator) ---
    Fetching("Fetching: the agent downloads and verifies an image version"),
    Verified("Verified: the image passed verification and is being activated"),
    Proven("Active: every unit's main process (or a oneshot's last run) sees the version"),
    Removed("Removed: the bundle was taken off the node and its units no longer see it"),
    RemovalNotProven("Failed: the bundle was removed but a unit could not be shown to no longer see it"),
    UpToDate("the unit already sees the wanted state: nothing to do"),
    UnitInactive("the unit is not running; it uses the change when it starts"),
    ReloadModeNone("spec.reload is None: the unit sees the change after someone else restarts it"),
    Reload("the agent's plan: reload the unit (a done action ends as Proven or a failure)"),
    Restart("the agent's plan: restart the unit (spec.reload: Restart, or to go back to the previous version)"),
    NamespaceSetupAtStart(
            "the agent's plan: restart the unit, as its first extension (or taking off its last) needs a start"),
    ReloadWouldReorder(
            "the agent's plan: restart the unit, as its bundles ship common paths and a reload would stack them in reverse priority"),
    RestartPlanned(
            "Pending, reported before the agent restarts a running unit for its first extension (spec.firstAttach: Restart)"),
    WaitingForUnitRestart(
            "Pending: spec.firstAttach is WaitForUnitRestart; the version is proven once someone else restarts the unit"),
    RestartInsteadOfReload("the agent's plan: restart, as systemd < 258 refreshes a unit's extensions only at start"),
    ReloadCannotRefresh("Failed: spec.reload is Reload but the host's systemd cannot refresh extensions on reload"),
    OneshotNeedsRestart("Failed: spec.reload is Reload on a Type=oneshot unit, which has nothing to reload"),
    RunAgain("the agent's plan: run a Type=oneshot unit again so that it uses the new version"),
    LastRunNotProven("Active: a oneshot unit's last run was not proven with this version; its next run will use it"),
    ReloadFailed("Failed/RolledBack: systemd's reload job for the unit failed"),
    RestartFailed("Failed/RolledBack: systemd's restart job for the unit failed"),
    RunFailed("Failed/RolledBack: the oneshot unit's run did not end with success"),
    ProofFailed("Failed/RolledBack: the unit was not seen running with the version before the proof timeout"),
    RollbackFailed("Failed: the new version failed and putting the previous one back failed too"),
    RollbackInterrupted("RolledBack: the agent was stopped while rolling back and finished it after its restart"),
    TrustUnavailable("Failed: the trust certificates cannot be read, or there are none while a signature is required"),
    Drifted(
            "Active: content under .v/ or a unit's drop-in had changed since the version was proven; repaired from the verified revision (the message names the paths)"),
    DiskSpaceLow(
            "Failed: the download or the staged version would leave less free space than the agent's margin on the file system of its state directory; the node keeps its current version"),
    VersionsEvictedByCap(
            "Active: the node's cap on stored versions made retention delete quarantined or old kept versions (the message names them); the active version and the rollback target are never deleted"),
    RestoredFromLocalState(
            "Active: at the agent's start, before the API answered, it restored this proven version from its journal and verified content"),

    // --- a node's bundle entry: a failed file operation on the host (agent, host.HostIoFailure) ---
    DiskFull("Failed: a write on the host failed because its file system is full (ENOSPC, EDQUOT)"),
    ReadOnlyPath("Failed: a path the agent writes on the host is on a read-only file system (EROFS)"),
    PermissionDenied(
            "Failed: the host refused the agent a file operation (EACCES, EPERM: an immutable file, a security module)"),
    HostIoFailed(
            "Failed: a file operation on the host failed for another reason (the message has the path and the OS's words)"),

    // --- image downloads (agent, fetch.FetchFailure) ---
    DownloadBadUrl("Failed: source.image.url is not a URL"),
    DownloadPlainHttpRefused("Failed: the URL is plain http and the agent refuses it"),
    DownloadNotFound("Failed: the server answered 404"),
    DownloadHttpError("Failed: the server answered another HTTP error"),
    DownloadTlsFailure("Failed: the TLS handshake failed (certificate or protocol)"),
    DownloadConnectFailed("Failed: the server cannot be connected to"),
    DownloadTruncated("Failed: the download ended before the whole file arrived"),
    DownloadStalled("Failed: the download made no progress for too long"),
    DownloadTooLarge("Failed: the file is larger than the image size limit"),
    DownloadSha256Mismatch("Failed: the downloaded file does not have the sha256 source.image.sha256 pins"),
    DownloadStagingFailed("Failed: the agent cannot write the download into its staging directory"),

    // --- OCI artifact sources (operator when it freezes a version, agent when it pulls; api.oci) ---
    RegistryUnauthorized(
            "Degraded/Failed: the registry answered 401: no pull Secret, or the registry refused its credentials"),
    RegistryForbidden("Degraded/Failed: the registry answered 403: the credentials may not pull the repository"),
    RegistryHttpError("Degraded/Failed: the registry answered another HTTP error for a manifest"),
    ManifestNotFound("Degraded/Failed: the registry has no manifest for the reference's tag or digest"),
    ManifestInvalid(
            "Degraded/Failed: the manifest breaks the confext artifact layout (no or two image layers, a foreign layer)"),
    WrongArtifactType(
            "Degraded/Failed: the manifest is of another artifact type than application/vnd.confext.image.v1"),
    OciDigestMismatch("Degraded/Failed: a manifest or blob the registry sent does not have the digest that pins it"),
    BlobNotFound("Failed: the registry lacks a blob (layer) that the pinned manifest names"),
    PullSecretNotFound(
            "Degraded/Failed: the Secret named in source.oci.pullSecretName does not exist in the operator's namespace"),
    InvalidPullSecret(
            "Degraded/Failed: the pull Secret is not of type kubernetes.io/dockerconfigjson, or its content is not one"),

    // --- image verification (agent, verify.ReasonCode) ---
    ImageUnreadable("Failed: the image file cannot be read"),
    Sha256Mismatch("Failed: the image file does not have the pinned sha256"),
    UnknownImageFormat("Failed: neither a GPT disk image (DDI) nor an erofs file system"),
    GptCorrupt("Failed: the GPT partition table is damaged or out of bounds"),
    NoRootPartition("Failed: the DDI has no root partition"),
    ForeignArchitecture("Failed: the DDI's root partition is for another architecture than the host's"),
    VerityMissing("Failed: the DDI has no dm-verity partition for its root"),
    VeritySuperblockInvalid("Failed: the dm-verity superblock is malformed or out of bounds"),
    VerityRootHashMismatch("Failed: the hash tree does not give the expected root hash"),
    VerityHashTreeCorrupt("Failed: a data block does not match its hash in the tree"),
    RootHashMissing("Failed: no root hash (partition or .roothash sidecar) to check the data against"),
    SignatureMissing("Failed: no root hash signature where one is required"),
    SignatureMalformed("Failed: the signature partition or .roothash.p7s cannot be parsed"),
    SignatureRootHashMismatch("Failed: the signature is for another root hash"),
    SignatureUntrusted("Failed: the signer's certificate is not in the trust"),
    SignatureInvalid("Failed: the PKCS#7 signature does not verify"),
    FileSystemCorrupt("Failed: the erofs file system is damaged"),
    ContentUninspectable("Failed: the image's content cannot be inspected"),
    ContentOutsideEtc("Failed: the image holds files outside /etc"),
    ContentSetuid("Failed: the image holds a setuid or setgid file"),
    ContentDeviceNode("Failed: the image holds a device node"),
    ContentFifo("Failed: the image holds a FIFO"),
    ContentSocket("Failed: the image holds a socket"),
    ContentSymlinkEscapes("Failed: a symlink in the image points outside it"),
    ContentOsRelease("Failed: the image holds an os-release file"),
    ContentTooLarge("Failed: the image's content passes a size, depth or entry limit"),
    ExtensionReleaseMissing("Failed: the image has no extension-release file for its name"),
    ExtensionReleaseEmpty("Failed: the image's extension-release file is empty"),
    ExtensionScopeMismatch("Failed: the extension-release's scope does not allow this use"),
    ExtensionArchitectureMismatch("Failed: the extension-release's ARCHITECTURE is not the host's"),
    ExtensionIdMissing("Failed: the extension-release has no ID"),
    ExtensionIdMismatch("Failed: the extension-release's ID is not the host's"),
    ExtensionLevelMismatch("Failed: the extension-release's CONFEXT_LEVEL is not the host's"),
    ExtensionVersionMismatch("Failed: the extension-release's VERSION_ID is not the host's");

    private final String meaning;

    Reason(String meaning) {
        this.meaning = meaning;
    }

    /** When the reason is written, in one line (the troubleshooting guide says what to do). */
    public String meaning() {
        return meaning;
    }

    /** The catalogue entry for a word read back from a status, if it is one. */
    public static Optional<Reason> of(String word) {
        for (Reason r : values()) {
            if (r.name().equals(word)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code word}, checked: records that carry a reason as the word written to the status call this, so that a
     * reason outside the catalogue fails where it is made, not in front of a user.
     *
     * @throws IllegalArgumentException when the word is not in the catalogue
     */
    public static String require(String word) {
        if (of(word).isEmpty()) {
            throw new IllegalArgumentException("reason " + word + " is not in io.confext.api.status.Reason");
        }
        return word;
    }
}
