package io.confext.agent.trust;

/** What reading the node policy file gave: nothing (the floor only), a policy, or a file the agent cannot use. */
public sealed interface LoadedNodePolicy {

    /** The host path the policy was looked for at, for messages. */
    String file();

    /** No policy file on this node: only the built-in {@link NodePolicy#FLOOR} applies. */
    record Absent(String file) implements LoadedNodePolicy {}

    record Present(String file, NodePolicy policy) implements LoadedNodePolicy {}

    /**
     * A policy file that cannot be read or is not valid. The agent applies no bundle then (fail closed): a typo in
     * the file must not silently allow what it was written to deny.
     */
    record Broken(String file, String why) implements LoadedNodePolicy {}
}
