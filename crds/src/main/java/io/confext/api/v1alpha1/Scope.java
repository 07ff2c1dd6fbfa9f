package io.confext.api.v1alpha1;

/** Where a bundle's configuration is visible: to the listed units only (Service) or to the whole host (Host). */
public enum Scope {
    Service,
    Host
}
