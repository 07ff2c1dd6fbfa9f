package io.confext.box;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImagePolicyTest {

    @Test
    void withDeviceMapperSystemdsDefaultElseTheAgentsOwnChecksOnly() {
        assertThat(ImagePolicy.choose("  1 psaux\n236 device-mapper\n183 hw_random\n", false))
                .isEmpty();
        assertThat(ImagePolicy.choose("", true)).isEmpty();
        assertThat(ImagePolicy.choose("  1 psaux\n183 hw_random\n", false))
                .contains("root=unprotected+absent:usr=absent");
    }
}
