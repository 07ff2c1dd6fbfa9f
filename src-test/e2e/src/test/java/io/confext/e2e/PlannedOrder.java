package io.confext.e2e;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which the operator promises to visit nodes (operator's {@code RolloutOrder}: by the first 8 bytes of
 * sha256(bundle NUL node), unsigned, then by name). Restated here on purpose: the end-to-end test checks the
 * running operator against the promise, not against its own code.
 */
final class PlannedOrder {

    private PlannedOrder() {}

    static List<String> of(String bundle, List<String> nodes) {
        return nodes.stream()
                .sorted(Comparator.<String, Long>comparing(n -> key(bundle, n), Long::compareUnsigned)
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    private static long key(String bundle, String node) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((bundle + "\u0000" + node).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (h[i] & 0xff);
            }
            return k;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
