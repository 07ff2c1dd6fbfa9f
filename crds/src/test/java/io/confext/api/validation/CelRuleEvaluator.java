package io.confext.api.validation;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates one {@code x-kubernetes-validations} rule with Google's cel-java, with {@code self}
 * bound as a dynamic value, as the API server does. The Kubernetes CEL libraries are only partly
 * available in cel-java: this adds the one Kubernetes list function the CRD uses ({@code sum()});
 * a rule using another Kubernetes-only function fails to compile here, which the tests report.
 */
final class CelRuleEvaluator {

    private final Cel cel = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration(
                    "sum",
                    CelOverloadDecl.newMemberOverload("list_int_sum", SimpleType.INT, ListType.create(SimpleType.INT))))
            .addFunctionBindings(CelFunctionBinding.from("list_int_sum", List.class, CelRuleEvaluator::sum))
            .build();

    /** Compiled rules by expression: each rule is compiled once per evaluator. */
    private final Map<String, CelAbstractSyntaxTree> compiled = new HashMap<>();

    /**
     * True when the rule holds for {@code self}.
     *
     * @throws IllegalArgumentException when the rule does not compile or its evaluation fails
     */
    boolean holds(String rule, Object self) {
        try {
            CelAbstractSyntaxTree ast = compiled.get(rule);
            if (ast == null) {
                ast = cel.compile(rule).getAst();
                compiled.put(rule, ast);
            }
            Object result = cel.createProgram(ast).eval(Map.of("self", self));
            if (!(result instanceof Boolean b)) {
                throw new IllegalArgumentException("rule " + rule + " returned " + result + ", not a bool");
            }
            return b;
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("rule does not compile: " + rule + ": " + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException("rule evaluation failed: " + rule + ": " + e.getMessage(), e);
        }
    }

    private static long sum(List<?> values) {
        long total = 0;
        for (Object v : values) {
            total = Math.addExact(total, ((Number) v).longValue());
        }
        return total;
    }
}
