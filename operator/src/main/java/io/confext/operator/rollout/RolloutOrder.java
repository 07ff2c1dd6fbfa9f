package io.confext.operator.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;

/**
 * The order in which a bundle visits nodes: by a hash of bundle name and node name, then by name.
 * It depends on nothing but the two names, so it is the same after an operator restart, and
 * different bundles start on different nodes (one bad node is not every bundle's canary).
 */
public final class RolloutOrder {
    private RolloutOrder() {}

    public static long key(String bundle, String node) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] h = sha.digest((bundle + "\u0000" + node).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (h[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static <T> Comparator<T> comparator(String bundle, java.util.function.Function<T, String> name) {
        Comparator<T> byHash = (a, b) -> Long.compareUnsigned(key(bundle, name.apply(a)), key(bundle, name.apply(b)));
        return byHash.thenComparing(name);
    }
}
