package io.confext.apiserver;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the writes (every method but GET) one client sends, except those of leader election
 * itself (the Lease, and JOSDK's SelfSubjectRulesReview permission check at start): what is left is
 * the operator's work.
 */
final class WriteCounter implements Interceptor {
    private final List<String> writes = new CopyOnWriteArrayList<>();

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        String path = request.uri().getPath();
        if (!"GET".equals(request.method())
                && !path.contains("/leases")
                && !path.contains("/selfsubjectrulesreviews")) {
            writes.add(request.method() + " " + path);
        }
    }

    List<String> writes() {
        return List.copyOf(writes);
    }
}
