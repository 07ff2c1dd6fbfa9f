package io.confext.api.version;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Version strings as systemd orders them: the UAPI Version Format Specification, implemented by
 * systemd's {@code strverscmp_improved()} (src/fundamental/string-util-fundamental.c). The agent
 * uses it to predict which entry of a {@code .v/} directory systemd picks and to refuse
 * downgrades; the operator to order the version history. It must therefore agree with systemd
 * exactly, including its oddities (for example {@code "2_0" > "2.0"}), rather than with any
 * "intuitive" ordering.
 *
 * <p>Summary of the rules: the strings are split into numeric and alphabetic segments; characters
 * outside {@code [A-Za-z0-9~^.-]} are dropped and only separate segments; a segment prefixed with
 * {@code ~} is older than anything, then {@code -} (release separator), then {@code ^} (patch),
 * then {@code .} (point release), then no prefix; numeric segments compare as numbers (leading
 * zeros ignored) and are newer than alphabetic ones; alphabetic segments compare by ASCII code, a
 * longer one being newer when one is a prefix of the other; when one string runs out, the one with
 * more segments is newer (unless the extra segment starts with {@code ~}).
 */
public final class UapiVersion {

    /** The version alphabet this project allows in {@code spec.version}; see docs/api.md. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9.~^_+-]{1,64}");

    /** Orders versions oldest first. */
    public static final Comparator<String> ORDER = UapiVersion::compare;

    private UapiVersion() {}

    /** True when {@code version} is 1..64 characters from {@code [A-Za-z0-9.~^_+-]}. */
    public static boolean isValid(String version) {
        return version != null && VALID.matcher(version).matches();
    }

    /** True when {@code candidate} is strictly newer than {@code reference}. */
    public static boolean isNewer(String candidate, String reference) {
        return compare(candidate, reference) > 0;
    }

    /**
     * Compares two version strings like systemd's {@code strverscmp_improved()}: negative when
     * {@code a} is older, zero when equivalent, positive when newer. {@code null} is treated as
     * the empty string, as systemd does.
     */
    public static int compare(String a, String b) {
        return new Cursor(a).compareTo(new Cursor(b));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isVersionChar(char c) {
        return isDigit(c) || isAlpha(c) || c == '~' || c == '-' || c == '^' || c == '.';
    }

    /** A read position in a string, with NUL past its end as in the C original. */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s == null ? "" : s;
        }

        char at(int i) {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        char cur() {
            return at(pos);
        }

        void skipInvalid() {
            while (cur() != '\0' && !isVersionChar(cur())) {
                pos++;
            }
        }

        int endOfRun(boolean digits) {
            int i = pos;
            while (digits ? isDigit(at(i)) : isAlpha(at(i))) {
                i++;
            }
            return i;
        }

        int compareTo(Cursor o) {
            Cursor a = this;
            Cursor b = o;
            for (; ; ) {
                a.skipInvalid();
                b.skipInvalid();

                // '~' marks a pre-release: older than anything else, even the end of the string.
                if (a.cur() == '~' || b.cur() == '~') {
                    int r = Boolean.compare(a.cur() != '~', b.cur() != '~');
                    if (r != 0) {
                        return r;
                    }
                    a.pos++;
                    b.pos++;
                }

                // One string ended: the one with more segments is newer.
                if (a.cur() == '\0' || b.cur() == '\0') {
                    return Integer.signum(Character.compare(a.cur(), b.cur()));
                }

                // Prefixes, from oldest to newest: '-', '^', '.', then none.
                for (char prefix : new char[] {'-', '^', '.'}) {
                    if (a.cur() == prefix || b.cur() == prefix) {
                        int r = Boolean.compare(a.cur() != prefix, b.cur() != prefix);
                        if (r != 0) {
                            return r;
                        }
                        a.pos++;
                        b.pos++;
                    }
                }

                int aa;
                int bb;
                if (isDigit(a.cur()) || isDigit(b.cur())) {
                    aa = a.endOfRun(true);
                    bb = b.endOfRun(true);
                    // A numeric segment is newer than a non-numeric (empty) one.
                    int r = Boolean.compare(a.pos != aa, b.pos != bb);
                    if (r != 0) {
                        return r;
                    }
                    while (a.cur() == '0') {
                        a.pos++;
                    }
                    while (b.cur() == '0') {
                        b.pos++;
                    }
                    r = Integer.compare(aa - a.pos, bb - b.pos);
                    if (r != 0) {
                        return r;
                    }
                    r = Integer.signum(a.s.substring(a.pos, aa).compareTo(b.s.substring(b.pos, bb)));
                    if (r != 0) {
                        return r;
                    }
                } else {
                    aa = a.endOfRun(false);
                    bb = b.endOfRun(false);
                    int common = Math.min(aa - a.pos, bb - b.pos);
                    int r = Integer.signum(
                            a.s.substring(a.pos, a.pos + common).compareTo(b.s.substring(b.pos, b.pos + common)));
                    if (r != 0) {
                        return r;
                    }
                    r = Integer.compare(aa - a.pos, bb - b.pos);
                    if (r != 0) {
                        return r;
                    }
                }
                a.pos = aa;
                b.pos = bb;
            }
        }
    }
}
