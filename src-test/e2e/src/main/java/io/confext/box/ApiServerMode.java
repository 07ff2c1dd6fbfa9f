package io.confext.box;

import java.util.Locale;

/** Which API server the box starts ({@code --api-server=}). */
public enum ApiServerMode {
    /** The real kube-apiserver when its binaries are built, else fabric8's mock server. */
    AUTO,
    /** The real kube-apiserver, or fail saying how to build it. */
    REAL,
    /** fabric8's embedded mock server, even when the real binaries are there. */
    MOCK;

    /** Pure: whether to start the real kube-apiserver, given whether its binaries are built. */
    boolean startsReal(boolean binariesBuilt) {
        return switch (this) {
            case AUTO -> binariesBuilt;
            case REAL -> true;
            case MOCK -> false;
        };
    }

    static ApiServerMode parse(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--api-server wants auto, real or mock, not '" + value + "'\n" + BoxArguments.USAGE);
        }
    }
}
