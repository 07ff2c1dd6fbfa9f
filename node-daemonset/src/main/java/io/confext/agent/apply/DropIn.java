package io.confext.agent.apply;

import java.util.Comparator;
import java.util.List;

/**
 * The drop-in {@code <unit>.d/50-confext-operator.conf}: one {@code ExtensionDirectories=} line listing the
 * {@code .v/} directories of the bundles attached to the unit, lowest priority first (systemd stacks later entries
 * on top, so the highest priority wins; the API says "higher overlays later (wins)"). Pure rendering.
 */
public final class DropIn {
    public static final String FILE_NAME = "50-confext-operator.conf";

    public record Attachment(String bundle, int priority, String versionsDir) {
    }

    private DropIn() {
    }

    /** Empty string when nothing is attached: the caller then deletes the file. */
    public static String render(List<Attachment> attachments) {
        if (attachments.isEmpty()) {
            return "";
        }
        List<Attachment> sorted = attachments.stream()
                .sorted(Comparator.comparingInt(Attachment::priority).thenComparing(Attachment::bundle))
                .toList();
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by the confext-operator node agent; changes are overwritten.\n");
        sb.append("[Service]\n");
        sb.append("ExtensionDirectories=");
        sb.append(String.join(" ", sorted.stream().map(Attachment::versionsDir).toList()));
        sb.append('\n');
        return sb.toString();
    }
}
