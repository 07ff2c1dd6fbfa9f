package io.confext.operator.rollout;

/**
 * What an image's fit depends on, as a node's agent reports it in ConfextNode {@code status.host}: the
 * architecture and the os-release {@code ID}/{@code VERSION_ID} an image's extension-release is matched against.
 * Two hosts of the same kind accept or refuse the same image alike, so what one agent learns at verification holds
 * for the other ({@link IncompatibleImages}).
 */
public record HostKind(String architecture, String osId, String osVersionId) {

    /** Null when the agent reported none of the three: such a host learns only from its own verification. */
    public static HostKind of(String architecture, String osId, String osVersionId) {
        if (architecture == null && osId == null && osVersionId == null) {
            return null;
        }
        return new HostKind(architecture, osId, osVersionId);
    }

    @Override
    public String toString() {
        return (architecture == null ? "?" : architecture) + ", " + (osId == null ? "?" : osId) + " "
                + (osVersionId == null ? "?" : osVersionId);
    }
}
