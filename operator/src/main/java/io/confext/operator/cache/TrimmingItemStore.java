package io.confext.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An informer's item store that trims every object before keeping it: the informer caches hold
 * every Node and ConfextNode of the cluster for the operator's whole life, and most of what the API
 * server sends (above all {@code metadata.managedFields}, a map tree per field manager) is never
 * read by the operator. The trimming is done in place on the freshly deserialised object the
 * informer puts, so the event handlers and the cache see the same (trimmed) object; it keeps the
 * name, namespace and resourceVersion the informer keys and compares on. Keys are the informer's
 * default ({@link Cache#metaNamespaceKeyFunc}), so JOSDK's lookups by ResourceID still work.
 *
 * <p>One store serves one informer: JOSDK gets it through {@code withItemStore} for a cluster-wide
 * or single-namespace informer (never one shared by several namespaces' informers).
 */
public final class TrimmingItemStore<R extends HasMetadata> implements ItemStore<R> {
    private final BasicItemStore<R> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
    private final Consumer<? super R> trim;

    public TrimmingItemStore(Consumer<? super R> trim) {
        this.trim = trim;
    }

    @Override
    public String getKey(R obj) {
        return items.getKey(obj);
    }

    @Override
    public R put(String key, R obj) {
        trim.accept(obj);
        return items.put(key, obj);
    }

    @Override
    public R remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet();
    }

    @Override
    public Stream<R> values() {
        return items.values();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public R get(String key) {
        return items.get(key);
    }
}
