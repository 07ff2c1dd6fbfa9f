package io.confext.agent.apply;

import io.confext.agent.host.FailureText;
import io.confext.agent.host.HostIoFailure;
import io.confext.api.status.Reason;

/**
 * What a bundle reports when its pass throws: a failed file operation on the host by its named reason (see
 * {@link HostIoFailure}), anything else as {@link Reason#AgentError}; either way in words without exception class names
 * (the class and the stack go to the agent's log).
 */
record AgentFailure(String reason, String message) {
    AgentFailure {
        Reason.require(reason);
    }

    static AgentFailure of(RuntimeException e) {
        return HostIoFailure.of(e)
                .map(f -> new AgentFailure(f.reason().name(), f.message()))
                .orElseGet(() -> new AgentFailure(
                        Reason.AgentError.name(),
                        FailureText.of(e) + " (an unexpected error: the agent's log has the details)"));
    }
}
