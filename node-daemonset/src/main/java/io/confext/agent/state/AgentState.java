package io.confext.agent.state;

import java.util.Map;
import java.util.TreeMap;

/** Everything the agent remembers, by bundle name. */
public record AgentState(Map<String, BundleRecord> bundles) {
    public AgentState {
        bundles = bundles == null ? Map.of() : Map.copyOf(bundles);
    }

    public static AgentState empty() {
        return new AgentState(Map.of());
    }

    public AgentState with(BundleRecord record) {
        Map<String, BundleRecord> m = new TreeMap<>(bundles);
        m.put(record.name(), record);
        return new AgentState(m);
    }

    public AgentState without(String name) {
        Map<String, BundleRecord> m = new TreeMap<>(bundles);
        m.remove(name);
        return new AgentState(m);
    }
}
