package io.confext.helm;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads RBAC rules as "which verbs on group/resource (optionally only these names)". */
final class RbacRules {

    private RbacRules() {}

    /** The verbs the rules grant on group/resource for any object name (rules without resourceNames). */
    static Set<String> verbsOnAnyName(List<PolicyRule> rules, String group, String resource) {
        Set<String> verbs = new TreeSet<>();
        for (PolicyRule rule : rules) {
            boolean unrestricted =
                    rule.getResourceNames() == null || rule.getResourceNames().isEmpty();
            if (unrestricted && matches(rule, group, resource)) {
                verbs.addAll(rule.getVerbs());
            }
        }
        return verbs;
    }

    /** The verbs the rules grant on the named object (restricted and unrestricted rules). */
    static Set<String> verbsOnName(List<PolicyRule> rules, String group, String resource, String name) {
        Set<String> verbs = new TreeSet<>();
        for (PolicyRule rule : rules) {
            boolean names = rule.getResourceNames() == null
                    || rule.getResourceNames().isEmpty()
                    || rule.getResourceNames().contains(name);
            if (names && matches(rule, group, resource)) {
                verbs.addAll(rule.getVerbs());
            }
        }
        return verbs;
    }

    /** Every group/resource the rules mention, for "nothing else is granted" checks. */
    static Set<String> resources(List<PolicyRule> rules) {
        Set<String> all = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    all.add(group.isEmpty() ? resource : group + "/" + resource);
                }
            }
        }
        return all;
    }

    private static boolean matches(PolicyRule rule, String group, String resource) {
        return (rule.getApiGroups().contains(group) || rule.getApiGroups().contains("*"))
                && (rule.getResources().contains(resource)
                        || rule.getResources().contains("*"));
    }
}
