package io.confext.agent.apply;

/**
 * A converge given up because the agent is stopping (SIGTERM on a rolling update, a node shutdown), not because
 * anything failed: no verdict was recorded for the bundle in flight (nothing quarantined, rolled back or reported
 * Failed), and its journalled step in state.json is resumed on the next start exactly as after a SIGKILL.
 */
public final class ConvergeAbandoned extends RuntimeException {
    public ConvergeAbandoned(String message, Throwable cause) {
        super(message, cause);
    }
}
