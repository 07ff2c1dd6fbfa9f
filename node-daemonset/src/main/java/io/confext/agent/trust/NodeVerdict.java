package io.confext.agent.trust;

/** The node's answer for one bundle: allowed, or refused with a status reason and a message naming the rule. */
public sealed interface NodeVerdict {

    record Allowed() implements NodeVerdict {}

    record Refused(String reason, String message) implements NodeVerdict {}

    NodeVerdict ALLOWED = new Allowed();
}
