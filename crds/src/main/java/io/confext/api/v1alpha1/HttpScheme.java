package io.confext.api.v1alpha1;

/** A health check's URL scheme; HTTPS certificates are not verified, as the kubelet does for probes. */
public enum HttpScheme {
    HTTP,
    HTTPS
}
