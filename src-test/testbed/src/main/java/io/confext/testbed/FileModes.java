package io.confext.testbed;

/** Octal file modes ("0644", "755") to the rwx form Java's PosixFilePermissions wants. */
public final class FileModes {
    private FileModes() {}

    public static String toSymbolic(String octalMode) {
        if (octalMode == null || !octalMode.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException(
                    "file mode must be 3 octal digits (optionally with a leading 0), got: " + octalMode);
        }
        String digits = octalMode.substring(octalMode.length() - 3);
        StringBuilder b = new StringBuilder();
        for (char c : digits.toCharArray()) {
            int v = c - '0';
            b.append((v & 4) != 0 ? 'r' : '-').append((v & 2) != 0 ? 'w' : '-').append((v & 1) != 0 ? 'x' : '-');
        }
        return b.toString();
    }
}
