package io.confext.operator.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The order in which a bundle visits nodes: by a hash of bundle name and node name, then by name.
 * It depends on nothing but the two names, so it is the same after an operator restart, and
 * different bundles start on different nodes (one bad node is not every bundle's canary).
 */
public final class RolloutOrder {
    private RolloutOrder() {}

    /** A source of {@link #key}s: the function itself, or a memo of it (the keys never change). */
    @FunctionalInterface
    public interface Keys {
        long key(String bundle, String node);
    }

    public static long key(String bundle, String node) {
        return key(sha256(), bundle, node);
    }

    private static long key(MessageDigest sha, String bundle, String node) {
        byte[] h = sha.digest((bundle + "\u0000" + node).getBytes(StandardCharsets.UTF_8));
        long k = 0;
        for (int i = 0; i < 8; i++) {
            k = (k << 8) | (h[i] & 0xff);
        }
        return k;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static <T> Comparator<T> comparator(String bundle, Function<T, String> name) {
        Comparator<T> byHash = (a, b) -> Long.compareUnsigned(key(bundle, name.apply(a)), key(bundle, name.apply(b)));
        return byHash.thenComparing(name);
    }

    /**
     * The items in the order of {@link #comparator}, each item's key computed once: the comparator hashes both
     * names on every comparison, about 2 log2(n) hashes per item (24 per node at 5,000 nodes) instead of one.
     */
    public static <T> List<T> sorted(String bundle, List<T> items, Function<T, String> name) {
        MessageDigest sha = sha256();
        return sorted(bundle, items, name, (b, n) -> key(sha, b, n));
    }

    /** The same order, with the keys from {@code keys}. */
    public static <T> List<T> sorted(String bundle, List<T> items, Function<T, String> name, Keys keys) {
        List<Keyed<T>> keyed = new ArrayList<>(items.size());
        for (T item : items) {
            String n = name.apply(item);
            keyed.add(new Keyed<>(keys.key(bundle, n), n, item));
        }
        Comparator<Keyed<T>> byHash = (a, b) -> Long.compareUnsigned(a.key(), b.key());
        keyed.sort(byHash.thenComparing(Keyed::name));
        List<T> out = new ArrayList<>(keyed.size());
        for (Keyed<T> k : keyed) {
            out.add(k.item());
        }
        return out;
    }

    private record Keyed<T>(long key, String name, T item) {}
}
