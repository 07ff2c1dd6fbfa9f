package io.confext.operator.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The operator's TLS cipher suites with ChaCha20-Poly1305 first. The operator's JVM runs C1 only (the chart's
 * {@code -XX:TieredStopAtLevel=1}, for memory), where HotSpot's AES-GCM intrinsics are not used: AES-GCM then costs
 * ~4x the CPU of ChaCha20-Poly1305 per byte (BENCHMARKS.md, issue #18), and the watch streams of whole ConfextNodes are
 * most of the bytes the operator decrypts. A Go TLS server (kube-apiserver) picks ChaCha20 when the client lists it
 * first, so listing it first is all it takes; servers that do not offer it still get the client's AES suites after it.
 */
final class CipherOrder {

    /** TLS 1.3's and TLS 1.2's ECDHE ChaCha20-Poly1305 suites, in the JDK's names. */
    static final List<String> CHACHA20 = List.of(
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private CipherOrder() {}

    /**
     * The ChaCha20 suites the engine supports, then {@code requested} in its order without them. Netty's default list
     * (which fabric8's Vert.x client ends up with) has no ChaCha20 at all, so they are added, not only moved.
     */
    static String[] chaCha20First(String[] requested, String[] supported) {
        Set<String> supportedSet = Set.of(supported);
        Set<String> ordered = new LinkedHashSet<>();
        for (String suite : CHACHA20) {
            if (supportedSet.contains(suite)) {
                ordered.add(suite);
            }
        }
        ordered.addAll(Arrays.asList(requested));
        return new ArrayList<>(ordered).toArray(String[]::new);
    }
}
