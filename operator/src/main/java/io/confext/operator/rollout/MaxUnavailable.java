package io.confext.operator.rollout;

/**
 * {@code rollout.maxUnavailable}: a count or a percentage of the targeted nodes. A percentage rounds
 * down but never below 1, so a rollout always makes progress (as Deployment's maxUnavailable would
 * not with 0, which the API forbids anyway).
 */
public record MaxUnavailable(int value, boolean percent) {
    public MaxUnavailable {
        if (percent ? value < 1 || value > 100 : value < 1) {
            throw new IllegalArgumentException("maxUnavailable must be an integer >= 1 or a percentage 1%..100%, got "
                    + value + (percent ? "%" : ""));
        }
    }

    public static MaxUnavailable count(int n) {
        return new MaxUnavailable(n, false);
    }

    public static MaxUnavailable percent(int p) {
        return new MaxUnavailable(p, true);
    }

    /** Parses the API's int-or-string form: {@code 3}, {@code "3"} or {@code "10%"}; null means the default 1. */
    public static MaxUnavailable parse(Object raw) {
        if (raw == null) {
            return count(1);
        }
        if (raw instanceof Number n) {
            return count(n.intValue());
        }
        String s = raw.toString().trim();
        try {
            if (s.endsWith("%")) {
                return percent(Integer.parseInt(s.substring(0, s.length() - 1)));
            }
            return count(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "maxUnavailable must be an integer >= 1 or a percentage like \"10%\", got \"" + s + "\"");
        }
    }

    /** The number of targeted nodes that may be in flight or failed at once. */
    public int resolve(int targeted) {
        if (!percent) {
            return value;
        }
        return Math.max(1, (int) ((long) targeted * value / 100));
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
