package io.confext.agent.healthcheck;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.confext.agent.host.HostFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Where the checks' failure counts survive an agent restart: {@code health-checks.json} in the agent's state
 * directory, beside (not in) {@code state.json}, because the checks run on a thread of their own, outside the pass
 * and its host lock. Written whole and atomically. A file that cannot be read counts as none (the checks start from
 * zero, as before there was a file) and is said in the log; one that cannot be written is logged and tried again at
 * the next change.
 */
public final class KeptCountsFile {
    private static final Logger LOG = Logger.getLogger(KeptCountsFile.class);
    private final Supplier<Path> file;
    private final ObjectMapper json =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** @param file looked up at every use (the agent's layout checks it for planted links each time) */
    public KeptCountsFile(Supplier<Path> file) {
        this.file = file;
    }

    public KeptCounts load() {
        try {
            Path f = file.get();
            if (!Files.exists(f)) {
                return KeptCounts.NONE;
            }
            return json.readValue(f.toFile(), KeptCounts.class);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("The health checks' kept failure counts cannot be read (%s): counting from zero", e.getMessage());
            return KeptCounts.NONE;
        }
    }

    public void save(KeptCounts counts) {
        try {
            HostFiles.writeAtomically(file.get(), json.writeValueAsBytes(counts));
        } catch (IOException | RuntimeException e) {
            LOG.warnf(
                    "The health checks' failure counts cannot be kept (%s): trying again at the next change",
                    e.getMessage());
        }
    }
}
