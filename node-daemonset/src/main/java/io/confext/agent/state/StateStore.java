package io.confext.agent.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.confext.agent.host.HostFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The state file ({@code state.json}), rewritten whole and atomically at every step boundary: after a SIGKILL
 * it holds either the state before or the state after a step, never a mix.
 */
public final class StateStore {
    /** Looked up at every load and save: the agent's layout checks it for planted links each time. */
    private final Supplier<Path> file;

    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, true);

    public StateStore(Path file) {
        this(() -> file);
    }

    public StateStore(Supplier<Path> file) {
        this.file = file;
    }

    public AgentState load() {
        Path file = this.file.get();
        if (!Files.exists(file)) {
            return AgentState.empty();
        }
        try {
            return json.readValue(file.toFile(), AgentState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the agent state " + file + " cannot be read (" + e.getMessage()
                            + "); move it away to let the agent start from the host's current state",
                    e);
        }
    }

    public void save(AgentState state) {
        try {
            HostFiles.writeAtomically(file.get(), json.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the agent state: " + e.getMessage(), e);
        }
    }
}
