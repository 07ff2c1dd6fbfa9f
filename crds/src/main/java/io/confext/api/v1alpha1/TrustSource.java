package io.confext.api.v1alpha1;

/** Where the certificates trusted for image signatures come from. */
public enum TrustSource {
    Secret,
    Node
}
