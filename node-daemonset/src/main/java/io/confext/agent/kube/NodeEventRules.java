package io.confext.agent.kube;

import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which Kubernetes Events the agent records on its ConfextNode, and how a repeated one is aggregated. Pure:
 * {@link NodeEvents} writes what these rules decide.
 * <p>
 * Events tell what the host did that a person may want to know although the status already moved on: a drift the
 * agent repaired (someone or something edited the node's copy), a restore from the agent's own journal at start, and
 * the restart of a running unit for its first extension, announced before it happens. Like the kubelet's, a repeated
 * Event is one object whose count grows: a drift that comes back every resync patches that object, it never floods
 * the namespace with new ones.
 */
public final class NodeEventRules {
    /** The API server keeps a core/v1 Event's message short; a longer one is cut with a marker, never refused. */
    static final int MAX_MESSAGE = 1024;

    private NodeEventRules() {}

    /** One Event to record on the node's ConfextNode; {@code bundle} and {@code reason} name its series. */
    public record NodeEvent(String bundle, boolean warning, Reason reason, String message) {
        public Key key() {
            return new Key(bundle, reason);
        }
    }

    /** The series a repeated Event aggregates into: one bundle, one reason. */
    public record Key(String bundle, Reason reason) {}

    /** What the agent last wrote for a series: the Event's name and its count. */
    public record Series(String name, int count, String firstTimestamp) {}

    /** Create a new Event object, or patch the series' object with a higher count. */
    public sealed interface Write permits Create, Patch {}

    public record Create(String name, int count) implements Write {}

    public record Patch(String name, int count, String firstTimestamp) implements Write {}

    /**
     * The Events a converge's states call for: a repaired drift (Warning: the node's copy had been changed behind the
     * agent's back) and a restore at start (Normal). Called only with the states of a converge that really ran, so a
     * pass that reuses the last states records nothing twice.
     */
    public static List<NodeEvent> fromConverge(List<BundleState> states) {
        List<NodeEvent> out = new ArrayList<>();
        for (BundleState s : states) {
            if (s.getPhase() != BundlePhase.Active || s.getName() == null) {
                continue;
            }
            if (Reason.Drifted.name().equals(s.getReason())) {
                out.add(new NodeEvent(s.getName(), true, Reason.Drifted, about(s.getName(), s, s.getMessage())));
            } else if (Reason.RestoredFromLocalState.name().equals(s.getReason())) {
                out.add(new NodeEvent(
                        s.getName(), false, Reason.RestoredFromLocalState, about(s.getName(), s, s.getMessage())));
            }
        }
        return List.copyOf(out);
    }

    /** A step the host reports while it works: only the planned restart of a running unit is an Event. */
    public static Optional<NodeEvent> fromProgress(String bundle, String version, Reason reason, String message) {
        if (reason != Reason.RestartPlanned) {
            return Optional.empty();
        }
        return Optional.of(
                new NodeEvent(bundle, false, reason, "bundle " + bundle + " version " + version + ": " + message));
    }

    /**
     * The write for an Event of this series: the first of the series (since this agent started) creates an object
     * named {@code freshName}; a later one patches that object with the count one higher.
     */
    public static Write write(Optional<Series> last, String freshName) {
        return last.<Write>map(s -> new Patch(s.name(), s.count() + 1, s.firstTimestamp()))
                .orElseGet(() -> new Create(freshName, 1));
    }

    /**
     * After a refused patch: the API no longer has the object (404: the API server's Event TTL deleted it), so the
     * series starts again with a new object.
     */
    public static boolean startOverAfterPatch(int code) {
        return code == 404;
    }

    /**
     * Whether an Event that could not be written is tried again at the end of the next pass: yes when the API did not
     * answer or was busy (no code, 429, 5xx), no when it refused the Event (403 RBAC or admission, 422 invalid): the
     * same write would be refused again.
     */
    public static boolean retryLater(int code) {
        return code <= 0 || code == 429 || code >= 500;
    }

    /**
     * A stable Event name: the node's name, then what this agent process is (its start, so that a restarted agent
     * never collides with an object of its predecessor), then the series. Cut to the API's 253 characters.
     */
    public static String name(String node, String agentStart, Key key) {
        String series = Integer.toHexString((key.bundle() + "/" + key.reason().name()).hashCode());
        String tail = "." + agentStart + "." + series;
        String head = node.length() > 253 - tail.length() ? node.substring(0, 253 - tail.length()) : node;
        return head + tail;
    }

    /** The message, cut to what the API keeps. */
    public static String bounded(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    private static String about(String bundle, BundleState s, String message) {
        return "bundle " + bundle + " version " + s.getActiveVersion() + ": " + (message == null ? "" : message);
    }
}
