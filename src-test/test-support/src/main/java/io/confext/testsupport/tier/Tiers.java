package io.confext.testsupport.tier;

/**
 * The JUnit 5 tags of the test tiers. A class carries at most one (through {@link HostTest}, {@link ApiServerTest},
 * {@link E2eTest} or an annotation that bears one); a class with none is in the pure or mock tier and runs anywhere,
 * without root: {@code ./mvnw -B verify -Plaptop} runs only those. See docs/testing.md.
 */
public final class Tiers {
    /** Real systemd hosts: root, systemd-nspawn, loop devices, mounts. */
    public static final String HOST = "host";
    /** A real kube-apiserver and etcd (built from their Go modules by the test bed). */
    public static final String API_SERVER = "apiserver";
    /** A real OCI registry on loopback (docker-registry with TLS and basic auth) and the oras client. */
    public static final String REGISTRY = "registry";
    /** The whole product: operator and agents as processes or pods against real hosts and an API server. */
    public static final String E2E = "e2e";

    private Tiers() {}
}
