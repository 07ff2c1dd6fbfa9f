package io.confext.api.validation;

/**
 * One validation error, shaped like the API server's field errors:
 * {@code <field>: <detail>}, for example {@code spec.units: Required value}.
 */
public record FieldError(String field, String detail) {

    @Override
    public String toString() {
        return field + ": " + detail;
    }
}
