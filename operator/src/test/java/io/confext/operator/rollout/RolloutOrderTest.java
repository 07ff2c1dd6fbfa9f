package io.confext.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * The planner sorts with keys computed once per node (and kept by {@link OrderKeyMemo}): the order must be the one
 * the comparator defines, so that a rollout visits the same nodes in the same order as before.
 */
class RolloutOrderTest {

    @Property(tries = 200)
    void keyedSortIsTheComparatorsOrder(
            @ForAll @AlphaChars @StringLength(min = 1, max = 8) String bundle,
            @ForAll @Size(max = 60) List<@AlphaChars @NumericChars @StringLength(min = 1, max = 6) String> nodes) {
        List<String> expected = new ArrayList<>(nodes);
        expected.sort(RolloutOrder.comparator(bundle, Function.identity()));

        assertThat(RolloutOrder.sorted(bundle, nodes, Function.identity())).isEqualTo(expected);
        OrderKeyMemo memo = new OrderKeyMemo();
        assertThat(RolloutOrder.sorted(bundle, nodes, Function.identity(), memo))
                .isEqualTo(expected);
        // a second sort reads the kept keys: the same order again
        assertThat(RolloutOrder.sorted(bundle, nodes, Function.identity(), memo))
                .isEqualTo(expected);
    }

    @Property(tries = 50)
    void memoIsTheKeyFunction(
            @ForAll @AlphaChars @StringLength(min = 1, max = 8) String bundle,
            @ForAll @AlphaChars @StringLength(min = 1, max = 8) String node) {
        OrderKeyMemo memo = new OrderKeyMemo();
        assertThat(memo.key(bundle, node)).isEqualTo(RolloutOrder.key(bundle, node));
        assertThat(memo.key(bundle, node)).isEqualTo(RolloutOrder.key(bundle, node));
    }

    @Property(tries = 20)
    void memoForgetsNodesTheBundleNoLongerSees(
            @ForAll @Size(min = 2, max = 20) List<@AlphaChars @StringLength(min = 1, max = 5) String> nodes) {
        List<String> distinct = nodes.stream().distinct().toList();
        OrderKeyMemo memo = new OrderKeyMemo();
        distinct.forEach(n -> memo.key("b", n));
        List<NodeView> kept = List.of(new NodeView(distinct.get(0), true, true, null, null));
        memo.retain("b", kept);
        assertThat(memo.size("b")).isEqualTo(1);
        memo.forget("b");
        assertThat(memo.size("b")).isZero();
    }

    @Property(tries = 1)
    void unsignedKeysOrderAsTheComparator() {
        // keys with the top bit set sort after the others (unsigned), as the comparator does
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            nodes.add("node-" + i);
        }
        assertThat(nodes.stream().anyMatch(n -> RolloutOrder.key("b", n) < 0)).isTrue();
        List<String> expected = new ArrayList<>(nodes);
        expected.sort(RolloutOrder.comparator("b", Function.identity()));
        assertThat(RolloutOrder.sorted("b", nodes, Function.identity(), new OrderKeyMemo()))
                .isEqualTo(expected);
    }
}
