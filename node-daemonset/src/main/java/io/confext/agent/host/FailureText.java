package io.confext.agent.host;

import java.util.regex.Pattern;

/**
 * The words a failure is reported with in a status: the agent's own message, with host paths as the host sees them
 * and without Java exception class names (a person reading {@code kubectl describe} can act on a path and the OS's
 * words, not on {@code java.io.UncheckedIOException}). The class and stack belong in the agent's log.
 */
public final class FailureText {
    /** What the agent sees of the host's root: {@code /proc/<pid>/root/etc/x} is {@code /etc/x} on the host. */
    private static final Pattern HOST_ROOT = Pattern.compile("/proc/\\d+/root(?=/)");
    /** A class name a message may carry: {@code java.nio.file.AccessDeniedException: } or {@code IOException: }. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b(?::\\s*)?|\\b[A-Z]\\w*(?:Exception|Error)\\b:\\s*");

    private FailureText() {}

    /** The first message on the cause chain (the agent's words wrap the OS's), cleaned; a generic line when none. */
    public static String of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                String s = clean(c.getMessage());
                if (!s.isBlank()) {
                    return s;
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return "an unexpected error without a message";
    }

    /** Host paths as the host sees them, class names taken out. */
    public static String clean(String message) {
        if (message == null) {
            return "";
        }
        return CLASS_NAME
                .matcher(HOST_ROOT.matcher(message).replaceAll(""))
                .replaceAll("")
                .strip();
    }
}
