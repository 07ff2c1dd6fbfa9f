package io.confext.agent.verify;

/** Structural damage or an unsupported layout found while parsing an image; carries the refusal code. */
public class ImageFormatException extends Exception {
    private final ReasonCode code;

    public ImageFormatException(ReasonCode code, String message) {
        super(message);
        this.code = code;
    }

    public ReasonCode code() {
        return code;
    }

    public Reason toReason() {
        return new Reason(code, getMessage());
    }
}
