package io.confext.agent.apply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How host-scope bundles stack in the host's /etc (pure). systemd-confext merges the extensions it finds in
 * {@code /var/lib/confexts} in the order of their names, the one sorting last on top (seen on systemd 262: the
 * overlay's {@code lowerdir=} lists {@code 0500-a} above {@code 0010-b}). So the agent names a host-scope directory
 * bundle {@code <priority, four digits>-<bundle>}: the higher priority sorts later and wins, and ties go to the later
 * bundle name, as on a unit ({@link DropIn#above}). An image keeps its bundle's name, because systemd only merges an
 * image whose name matches the extension-release file inside it, which the image's author wrote: images therefore
 * stack by name among the host's extensions, and the agent accounts for that order as it is.
 */
public final class HostStackOrder {
    /** The highest priority the API accepts (see RevisionContent). */
    public static final int MAX_PRIORITY = 1000;

    private static final Pattern PREFIXED = Pattern.compile("([0-9]{4})-(.+)");

    private HostStackOrder() {}

    /** The host extension name of a directory bundle at this priority. */
    public static String directoryName(String bundle, int priority) {
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " is outside 0.." + MAX_PRIORITY);
        }
        return String.format("%04d-%s", priority, bundle);
    }

    /** Whether {@code extensionName} is one the agent gives {@code bundle}: its name, or its name under a priority. */
    public static boolean names(String extensionName, String bundle) {
        if (extensionName.equals(bundle)) {
            return true;
        }
        Matcher m = PREFIXED.matcher(extensionName);
        return m.matches() && m.group(2).equals(bundle);
    }

    /** The priority a prefixed name carries; empty for a plain one. */
    public static Optional<Integer> priorityOf(String extensionName) {
        Matcher m = PREFIXED.matcher(extensionName);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /**
     * One host-scope bundle in the host's stack.
     *
     * @param extensionName its name in {@code /var/lib/confexts}, which orders it
     * @param paths         the paths (relative to /etc) its current version ships
     */
    public record Layer(String bundle, String extensionName, Set<String> paths) {
        public Layer {
            paths = Set.copyOf(paths);
        }
    }

    /** A path of a bundle that a bundle stacked above it ships too: the host's /etc shows {@code by}'s file. */
    public record Shadow(String path, String by) {}

    /** Whether {@code a} is stacked above {@code b} on the host. */
    public static boolean above(Layer a, Layer b) {
        return a.extensionName().compareTo(b.extensionName()) > 0;
    }

    /**
     * For each bundle, its paths that a higher layer ships too, and the topmost such bundle (the one whose file the
     * host shows), sorted by path. A bundle nothing shadows is left out.
     */
    public static Map<String, List<Shadow>> shadows(List<Layer> layers) {
        List<Layer> top = new ArrayList<>(layers);
        top.sort(Comparator.comparing(Layer::extensionName).reversed());
        Map<String, List<Shadow>> out = new LinkedHashMap<>();
        for (int i = 0; i < top.size(); i++) {
            Layer self = top.get(i);
            Map<String, String> by = new TreeMap<>();
            for (int j = i - 1; j >= 0; j--) { // from just above to the top: the topmost that ships it is kept
                Layer higher = top.get(j);
                for (String p : self.paths()) {
                    if (higher.paths().contains(p)) {
                        by.put(p, higher.bundle());
                    }
                }
            }
            if (!by.isEmpty()) {
                out.put(
                        self.bundle(),
                        by.entrySet().stream()
                                .map(e -> new Shadow(e.getKey(), e.getValue()))
                                .toList());
            }
        }
        return out;
    }
}
