package io.confext.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An offline approximation of what the API server does with a custom resource on create:
 * apply schema defaults, check the OpenAPI constraints the CRD uses (type, required, enum,
 * minimum/maximum, min/maxLength, min/maxItems, maxProperties, pattern, unknown fields), and
 * evaluate every CEL rule ({@code x-kubernetes-validations}) with cel-java. Error texts follow the
 * API server's format closely enough for the bad-input data to be checked here in milliseconds;
 * the real kube-apiserver tier (src-test/apiserver) remains the proof, including CEL cost limits,
 * which this does not estimate.
 */
public final class OfflineCrdValidator {

    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private final JsonNode rootSchema;
    private final CelRuleEvaluator cel = new CelRuleEvaluator();

    /** @param crd a CustomResourceDefinition; its first version's schema is used */
    public OfflineCrdValidator(JsonNode crd) {
        this.rootSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
        if (rootSchema.isMissingNode()) {
            throw new IllegalArgumentException("not a CRD with a schema");
        }
    }

    /** Validates a copy of {@code object} after defaulting; an empty list means accepted. */
    public List<FieldError> validate(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        applyDefaults(rootSchema, copy);
        List<FieldError> errors = new ArrayList<>();
        forEachTopLevelField(copy, errors, true, (schema, value, path) -> check(schema, value, path, errors));
        // Like kube-apiserver 1.36: any schema error blocks the CEL rules ("some validation rules
        // were not checked because the object was invalid").
        if (errors.isEmpty()) {
            forEachTopLevelField(
                    copy, errors, false, (schema, value, path) -> checkRulesDeep(schema, value, path, errors));
            checkRootRules(copy, errors);
        }
        return errors;
    }

    private interface FieldVisitor {
        void visit(JsonNode schema, JsonNode value, String path);
    }

    private void forEachTopLevelField(
            ObjectNode object, List<FieldError> errors, boolean reportUnknown, FieldVisitor visitor) {
        object.fields().forEachRemaining(field -> {
            if (TOP_LEVEL_FIELDS.contains(field.getKey())) {
                return;
            }
            JsonNode schema = rootSchema.path("properties").get(field.getKey());
            if (schema == null) {
                if (reportUnknown) {
                    errors.add(new FieldError(field.getKey(), "unknown field \"" + field.getKey() + "\""));
                }
            } else {
                visitor.visit(schema, field.getValue(), field.getKey());
            }
        });
    }

    /** Rules on the object itself see only metadata.name and metadata.generateName, as in the API server. */
    private void checkRootRules(ObjectNode object, List<FieldError> errors) {
        ObjectNode self = object.deepCopy();
        ObjectNode metadata = self.putObject("metadata");
        JsonNode original = object.path("metadata");
        for (String visible : List.of("name", "generateName")) {
            if (original.has(visible)) {
                metadata.set(visible, original.get(visible));
            }
        }
        List<FieldError> rootErrors = new ArrayList<>();
        checkRules(rootSchema, self, "", rootErrors);
        rootErrors.forEach(e -> errors.add(new FieldError(e.field().replaceFirst("^\\.", ""), e.detail())));
    }

    private void checkRulesDeep(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            value.fields().forEachRemaining(f -> {
                JsonNode child = properties.has(f.getKey())
                        ? properties.get(f.getKey())
                        : additional != null && additional.isObject() ? additional : null;
                if (child != null) {
                    checkRulesDeep(child, f.getValue(), path + "." + f.getKey(), errors);
                }
            });
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                checkRulesDeep(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
            }
        }
        checkRules(schema, value, path, errors);
    }

    private static void applyDefaults(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.path("properties");
            properties.fields().forEachRemaining(p -> {
                JsonNode def = p.getValue().get("default");
                if (!object.has(p.getKey()) && def != null) {
                    object.set(p.getKey(), def.deepCopy());
                }
                if (object.has(p.getKey())) {
                    applyDefaults(p.getValue(), object.get(p.getKey()));
                }
            });
        } else if (value instanceof ArrayNode array && schema.has("items")) {
            array.forEach(item -> applyDefaults(schema.get("items"), item));
        }
    }

    private void check(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
        if (value.isNull()) {
            return;
        }
        boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean(false);
        String type = schema.path("type").asText("");
        if (intOrString) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(new FieldError(
                        path, "Invalid value: " + value + ": " + path + " in body must be of type integer-or-string"));
                return;
            }
        } else if (!type.isEmpty() && !hasType(value, type)) {
            errors.add(new FieldError(
                    path,
                    "Invalid value: \"" + typeName(value) + "\": " + path + " in body must be of type " + type + ": \""
                            + typeName(value) + "\""));
            return;
        }
        checkScalar(schema, value, path, errors);
        if (value.isObject()) {
            checkObject(schema, (ObjectNode) value, path, errors);
        } else if (value.isArray()) {
            checkArray(schema, (ArrayNode) value, path, errors);
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    private static String typeName(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        return value.isBoolean() ? "boolean" : "null";
    }

    private static void checkScalar(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
        if (schema.has("enum")) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(e -> allowed.add(e.toString()));
            if (!allowed.contains(value.toString())) {
                errors.add(new FieldError(
                        path, "Unsupported value: " + value + ": supported values: " + String.join(", ", allowed)));
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum")
                    && value.asDouble() < schema.get("minimum").asDouble()) {
                errors.add(new FieldError(
                        path,
                        "Invalid value: " + value + ": " + path + " in body should be greater than or equal to "
                                + schema.get("minimum").asLong()));
            }
            if (schema.has("maximum")
                    && value.asDouble() > schema.get("maximum").asDouble()) {
                errors.add(new FieldError(
                        path,
                        "Invalid value: " + value + ": " + path + " in body should be less than or equal to "
                                + schema.get("maximum").asLong()));
            }
        }
        if (value.isTextual()) {
            String s = value.asText();
            int length = s.codePointCount(0, s.length());
            if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
                errors.add(new FieldError(
                        path,
                        "Too long: may not be more than "
                                + schema.get("maxLength").asInt() + " bytes"));
            }
            if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
                errors.add(new FieldError(
                        path,
                        "Invalid value: " + value + ": " + path + " in body should be at least "
                                + schema.get("minLength").asInt() + " chars long"));
            }
            if (schema.has("pattern")
                    && !Pattern.compile(schema.get("pattern").asText())
                            .matcher(s)
                            .find()) {
                errors.add(new FieldError(
                        path,
                        "Invalid value: " + value + ": " + path + " in body should match '"
                                + schema.get("pattern").asText() + "'"));
            }
        }
    }

    private void checkObject(JsonNode schema, ObjectNode value, String path, List<FieldError> errors) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText()) || value.get(required.asText()).isNull()) {
                errors.add(new FieldError(path + "." + required.asText(), "Required value"));
            }
        }
        if (schema.has("maxProperties")
                && value.size() > schema.get("maxProperties").asInt()) {
            errors.add(new FieldError(
                    path,
                    "Too many: " + value.size() + ": must have at most "
                            + schema.get("maxProperties").asInt() + " items"));
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        value.fields().forEachRemaining(f -> {
            String childPath = path + "." + f.getKey();
            if (properties.has(f.getKey())) {
                check(properties.get(f.getKey()), f.getValue(), childPath, errors);
            } else if (additional != null && additional.isObject()) {
                check(additional, f.getValue(), childPath, errors);
            } else if (!schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                errors.add(new FieldError(childPath, "unknown field \"" + childPath + "\""));
            }
        });
    }

    private void checkArray(JsonNode schema, ArrayNode value, String path, List<FieldError> errors) {
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            errors.add(new FieldError(
                    path,
                    "Too many: " + value.size() + ": must have at most "
                            + schema.get("maxItems").asInt() + " items"));
        }
        if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
            errors.add(new FieldError(
                    path,
                    "Invalid value: " + value.size() + ": " + path + " in body should have at least "
                            + schema.get("minItems").asInt() + " items"));
        }
        if (schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private void checkRules(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String field = path + rule.path("fieldPath").asText("");
            boolean holds;
            try {
                holds = cel.holds(rule.get("rule").asText(), toCel(value));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field, "Internal error: " + e.getMessage()));
                continue;
            }
            if (!holds) {
                errors.add(new FieldError(
                        field,
                        "Invalid value: \"" + typeName(value) + "\": "
                                + rule.path("message")
                                        .asText("failed rule: "
                                                + rule.get("rule").asText())));
            }
        }
    }

    /** JSON to the values CEL sees: maps, lists, int64, double, string, bool. */
    static Object toCel(JsonNode value) {
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue())));
            return map;
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(v -> list.add(toCel(v)));
            return list;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.asText();
    }
}
