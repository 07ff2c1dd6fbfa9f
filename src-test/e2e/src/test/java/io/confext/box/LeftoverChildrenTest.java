package io.confext.box;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeftoverChildrenTest {

    @Test
    void onlyProcessesRunningThisWorkDirectorysAppsAreOurs() {
        String apps = "/root/.cache/confext-operator/box/apps/";
        assertThat(LeftoverChildren.isOurs("java -Xmx256m -jar /root/.cache/confext-operator/box/apps/agent/quarkus-run.jar", apps)).isTrue();
        assertThat(LeftoverChildren.isOurs("java -jar /tmp/other-box/apps/agent/quarkus-run.jar", apps)).isFalse();
        assertThat(LeftoverChildren.isOurs("vim /root/.cache/confext-operator/box/apps/notes.txt", apps)).isFalse();
    }
}
