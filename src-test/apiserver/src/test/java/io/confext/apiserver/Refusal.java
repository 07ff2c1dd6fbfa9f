package io.confext.apiserver;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** The API server's answer to a write that should be refused: the HTTP code and the whole message. */
record Refusal(int code, String message) {

    /**
     * Runs the write; returns the refusal, or throws an AssertionError naming the object when the
     * server accepted it (after the caller's cleanup ran).
     */
    static Refusal of(String what, Supplier<? extends HasMetadata> write, Runnable cleanupIfAccepted) {
        try {
            write.get();
        } catch (KubernetesClientException e) {
            String status = e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage()
                    : "";
            return new Refusal(e.getCode(), e.getMessage() + "\n" + status);
        }
        cleanupIfAccepted.run();
        throw new AssertionError(what + " was accepted by the API server, but must be refused");
    }

    /** Retries until the write is refused with the expected text (policies and RBAC changes apply after a moment). */
    static void awaitRefused(Supplier<?> write, String expected) {
        java.time.Instant deadline = java.time.Instant.now().plus(java.time.Duration.ofSeconds(30));
        String last = "accepted";
        while (java.time.Instant.now().isBefore(deadline)) {
            try {
                write.get();
                last = "accepted";
            } catch (KubernetesClientException e) {
                if (e.getMessage().contains(expected)) {
                    return;
                }
                last = e.getMessage();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("expected a refusal containing '" + expected + "' within 30s; last answer: " + last);
    }
}
