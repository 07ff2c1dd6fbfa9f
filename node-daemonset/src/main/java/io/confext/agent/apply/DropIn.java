package io.confext.agent.apply;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The drop-in {@code <unit>.d/50-confext-operator.conf}: an {@code ExtensionImages=} line for the bundles whose
 * current version is an image and an {@code ExtensionDirectories=} line for those whose current version is a
 * directory, each listing the {@code .v/} directories lowest priority first (systemd stacks later entries on top, so
 * the highest priority wins; the API says "higher overlays later (wins)"). systemd stacks every extension directory
 * above every extension image (core/namespace.c appends the directories' layers after the images'), so on one unit
 * priority orders bundles of the same kind only. Pure rendering.
 */
public final class DropIn {
    public static final String FILE_NAME = "50-confext-operator.conf";

    /** @param image the bundle's current version is an image file ({@code .raw}) */
    public record Attachment(String bundle, int priority, String versionsDir, boolean image) {
        public Attachment(String bundle, int priority, String versionsDir) {
            this(bundle, priority, versionsDir, false);
        }
    }

    private DropIn() {}

    /** Empty string when nothing is attached: the caller then deletes the file. */
    public static String render(List<Attachment> attachments) {
        return render(attachments, Optional.empty());
    }

    /** @param imagePolicy {@code ExtensionImagePolicy=} for the images, when the agent is configured with one */
    public static String render(List<Attachment> attachments, Optional<String> imagePolicy) {
        if (attachments.isEmpty()) {
            return "";
        }
        List<Attachment> sorted = attachments.stream()
                .sorted(Comparator.comparingInt(Attachment::priority).thenComparing(Attachment::bundle))
                .toList();
        List<String> images = sorted.stream()
                .filter(Attachment::image)
                .map(Attachment::versionsDir)
                .toList();
        List<String> dirs = sorted.stream()
                .filter(a -> !a.image())
                .map(Attachment::versionsDir)
                .toList();
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by the confext-operator node agent; changes are overwritten.\n");
        sb.append("[Service]\n");
        if (!images.isEmpty()) {
            sb.append("ExtensionImages=").append(String.join(" ", images)).append('\n');
            imagePolicy.ifPresent(
                    p -> sb.append("ExtensionImagePolicy=").append(p).append('\n'));
        }
        if (!dirs.isEmpty()) {
            sb.append("ExtensionDirectories=").append(String.join(" ", dirs)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Whether bundle {@code a} is stacked above bundle {@code b} on a unit: directories above images, then the higher
     * priority, then (ties) the later name, exactly as {@link #render} lists them.
     */
    public static boolean above(Attachment a, Attachment b) {
        if (a.image() != b.image()) {
            return !a.image();
        }
        return a.priority() > b.priority()
                || a.priority() == b.priority() && a.bundle().compareTo(b.bundle()) > 0;
    }
}
