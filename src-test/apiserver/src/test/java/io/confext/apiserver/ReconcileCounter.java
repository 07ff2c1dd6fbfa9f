package io.confext.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** JOSDK metrics that only count finished reconciles per primary kind: which operator instance did the work. */
final class ReconcileCounter implements Metrics {
    private final Map<String, AtomicInteger> byKind = new ConcurrentHashMap<>();

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        byKind.computeIfAbsent(resource.getKind(), k -> new AtomicInteger()).incrementAndGet();
    }

    int of(String kind) {
        AtomicInteger n = byKind.get(kind);
        return n == null ? 0 : n.get();
    }

    int total() {
        return byKind.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
