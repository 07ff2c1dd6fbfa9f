package io.confext.api.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OciReferenceTest {
    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void splitsRegistryRepositoryTagAndDigest() {
        assertThat(OciReference.parse("127.0.0.1:5000/confext/team-a/chrony_conf:4.5.2-1"))
                .isEqualTo(new OciReference("127.0.0.1:5000", "confext/team-a/chrony_conf", "4.5.2-1", null));
        assertThat(OciReference.parse("registry.example.org/chrony@" + DIGEST))
                .isEqualTo(new OciReference("registry.example.org", "chrony", null, DIGEST));
        OciReference both = OciReference.parse("registry.example.org/chrony:1@" + DIGEST);
        assertThat(both.manifestKey()).as("the digest wins over the tag").isEqualTo(DIGEST);
        assertThat(both.toString()).isEqualTo("registry.example.org/chrony:1@" + DIGEST);
    }

    @Test
    void pinningKeepsTheTagForPeople() {
        assertThat(OciReference.parse("r.example/c:stable").pinned(DIGEST).toString())
                .isEqualTo("r.example/c:stable@" + DIGEST);
    }

    @Test
    void refusesWhatTheCrdRefuses() {
        for (String bad : new String[] {
            "chrony:1",
            "r.example/chrony",
            "r.example/Chrony:1",
            "r.example/c@sha256:abc",
            "r.example/c@sha512:" + "0".repeat(128),
            "r.example//c:1",
            "r.example/c:-tag",
            "",
            "r.example/c@" + DIGEST.toUpperCase()
        }) {
            assertThatThrownBy(() -> OciReference.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
