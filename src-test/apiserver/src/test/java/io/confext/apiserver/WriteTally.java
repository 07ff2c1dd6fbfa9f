package io.confext.apiserver;

import io.confext.apiserver.AuditLog.AuditedWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one phase of the fleet benchmark cost in API writes, from the audit log. Pure.
 *
 * @param byKind            every write of the phase by "verb resource[/subresource]" (failed ones too)
 * @param failed            writes the server refused (conflicts, failed JSON Patch tests, 403s)
 * @param nodeSpecWrites    writes to ConfextNodes (the desired bundle entries), successful or not
 * @param statusWrites      writes to ConfextBundle status, per bundle
 * @param maxStatusPerSecond the most status writes of one bundle within any sliding second
 * @param meanStatusPerSecond status writes per bundle per second, over the phase
 */
record WriteTally(
        Map<String, Long> byKind,
        long failed,
        long nodeSpecWrites,
        Map<String, Long> statusWrites,
        int maxStatusPerSecond,
        double meanStatusPerSecond) {

    static final String CONFEXT_NODES = "confextnodes";
    static final String CONFEXT_BUNDLES = "confextbundles";

    static WriteTally of(List<AuditedWrite> all, Instant from, Instant to, int bundles) {
        List<AuditedWrite> writes = all.stream()
                .filter(w -> !w.received().isBefore(from) && w.received().isBefore(to))
                .toList();
        Map<String, Long> byKind =
                writes.stream().collect(Collectors.groupingBy(WriteTally::kind, TreeMap::new, Collectors.counting()));
        long failed = writes.stream().filter(w -> !w.succeeded()).count();
        long nodeSpec = writes.stream()
                .filter(w ->
                        CONFEXT_NODES.equals(w.resource()) && w.subresource().isEmpty())
                .count();
        Map<String, List<Instant>> statusTimes = writes.stream()
                .filter(WriteTally::isBundleStatus)
                .collect(Collectors.groupingBy(
                        AuditedWrite::name,
                        TreeMap::new,
                        Collectors.mapping(AuditedWrite::received, Collectors.toList())));
        Map<String, Long> perBundle = new TreeMap<>();
        statusTimes.forEach((b, times) -> perBundle.put(b, (long) times.size()));
        int maxPerSecond = statusTimes.values().stream()
                .mapToInt(WriteTally::maxWithinOneSecond)
                .max()
                .orElse(0);
        double seconds = Math.max(1e-3, Duration.between(from, to).toMillis() / 1000.0);
        long statusTotal =
                perBundle.values().stream().mapToLong(Long::longValue).sum();
        double mean = bundles == 0 ? 0 : statusTotal / seconds / bundles;
        return new WriteTally(byKind, failed, nodeSpec, perBundle, maxPerSecond, mean);
    }

    /** The most ConfextNode spec writes that any one node received in the window (one per bundle and version is the floor). */
    static long maxNodeSpecWritesOnOneNode(List<AuditedWrite> all, Instant from, Instant to) {
        return all.stream()
                .filter(w -> !w.received().isBefore(from) && w.received().isBefore(to))
                .filter(w ->
                        CONFEXT_NODES.equals(w.resource()) && w.subresource().isEmpty())
                .collect(Collectors.groupingBy(AuditedWrite::name, Collectors.counting()))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
    }

    long statusWritesTotal() {
        return statusWrites.values().stream().mapToLong(Long::longValue).sum();
    }

    long total() {
        return byKind.values().stream().mapToLong(Long::longValue).sum();
    }

    static boolean isBundleStatus(AuditedWrite w) {
        return CONFEXT_BUNDLES.equals(w.resource()) && "status".equals(w.subresource());
    }

    static String kind(AuditedWrite w) {
        return w.verb() + " " + w.resource() + (w.subresource().isEmpty() ? "" : "/" + w.subresource());
    }

    /** The largest number of instants that fall within one sliding window of one second. */
    static int maxWithinOneSecond(List<Instant> times) {
        List<Instant> sorted = new ArrayList<>(times);
        sorted.sort(Instant::compareTo);
        int best = 0;
        int first = 0;
        for (int i = 0; i < sorted.size(); i++) {
            while (Duration.between(sorted.get(first), sorted.get(i)).compareTo(Duration.ofSeconds(1)) >= 0) {
                first++;
            }
            best = Math.max(best, i - first + 1);
        }
        return best;
    }
}
