package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.revision.ResolvedFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostStackOrderTest {
    @Test
    void higherPrioritySortsLaterAndTiesGoToTheLaterName() {
        String low = HostStackOrder.directoryName("zeta", 10);
        String high = HostStackOrder.directoryName("alpha", 500);
        assertThat(low).isEqualTo("0010-zeta");
        assertThat(high).isEqualTo("0500-alpha");
        assertThat(high).isGreaterThan(low); // systemd-confext stacks the later name on top
        assertThat(HostStackOrder.directoryName("b", 7)).isGreaterThan(HostStackOrder.directoryName("a", 7));
        assertThat(HostStackOrder.directoryName("a", 1000)).isGreaterThan(HostStackOrder.directoryName("z", 999));
        assertThat(HostStackOrder.directoryName("a", 0)).isEqualTo("0000-a");
    }

    @Test
    void refusesAPriorityTheApiWouldNotAccept() {
        assertThatThrownBy(() -> HostStackOrder.directoryName("a", 1001)).hasMessageContaining("0..1000");
        assertThatThrownBy(() -> HostStackOrder.directoryName("a", -1)).hasMessageContaining("0..1000");
    }

    @Test
    void aBundleIsKnownByItsNameOrItsNameUnderAPriority() {
        assertThat(HostStackOrder.names("demo", "demo")).isTrue();
        assertThat(HostStackOrder.names("0500-demo", "demo")).isTrue();
        assertThat(HostStackOrder.names("0500-demo2", "demo")).isFalse();
        assertThat(HostStackOrder.names("500-demo", "demo")).isFalse();
        assertThat(HostStackOrder.names("0500-0010-demo", "0010-demo")).isTrue();
        assertThat(HostStackOrder.names("other", "demo")).isFalse();
        assertThat(HostStackOrder.priorityOf("0042-demo")).contains(42);
        assertThat(HostStackOrder.priorityOf("demo")).isEqualTo(Optional.empty());
    }

    @Test
    void eachShadowedPathNamesTheTopmostBundleThatShipsIt() {
        var low = new HostStackOrder.Layer("low", "0010-low", Set.of("a.conf", "b.conf", "only-low.conf"));
        var mid = new HostStackOrder.Layer("mid", "0200-mid", Set.of("a.conf", "b.conf"));
        var top = new HostStackOrder.Layer("top", "0900-top", Set.of("a.conf"));
        Map<String, List<HostStackOrder.Shadow>> s = HostStackOrder.shadows(List.of(top, low, mid));
        assertThat(s.get("low"))
                .containsExactly(
                        new HostStackOrder.Shadow("a.conf", "top"), new HostStackOrder.Shadow("b.conf", "mid"));
        assertThat(s.get("mid")).containsExactly(new HostStackOrder.Shadow("a.conf", "top"));
        assertThat(s).doesNotContainKey("top");
        assertThat(HostStackOrder.above(top, low)).isTrue();
        assertThat(HostStackOrder.above(low, mid)).isFalse();
    }

    @Test
    void anImageKeepsItsNameAndStacksWhereThatNameSorts() {
        // "web" (an image, merged under its own name) sorts after any priority name: it is on top
        var image = new HostStackOrder.Layer("web", "web", Set.of("x.conf"));
        var dir = new HostStackOrder.Layer("base", HostStackOrder.directoryName("base", 1000), Set.of("x.conf"));
        assertThat(HostStackOrder.shadows(List.of(image, dir)).get("base"))
                .containsExactly(new HostStackOrder.Shadow("x.conf", "web"));
    }

    @Test
    void aRenamedEntryIsNamedForItsExtensionAndItsManifestStaysTheBundles() {
        DirectoryVersion v = new DirectoryVersion("demo", "2", List.of(new ResolvedFile("demo/x.conf", "x\n", "0644")));
        DirectoryVersion named = v.named("0500-demo");
        assertThat(named.entryName()).isEqualTo("0500-demo_2");
        assertThat(named.extensionName()).isEqualTo("0500-demo");
        assertThat(named.extensionRelease()).isEqualTo(v.extensionRelease()); // the same bytes under either name
        ContentManifest canonical = ContentManifest.of(v);
        ContentManifest onHost = new ContentManifest(Map.of(
                "etc/demo/x.conf",
                canonical.entries().get("etc/demo/x.conf"),
                ExtensionRelease.path("0500-demo"),
                canonical.entries().get(ExtensionRelease.path("demo"))));
        assertThat(canonical.differences(onHost)).isNotEmpty();
        assertThat(canonical.differences(onHost.releaseNamedFor("0500-demo", "demo")))
                .isEmpty();
        assertThat(onHost.releaseNamedFor("demo", "demo")).isSameAs(onHost);
    }
}
