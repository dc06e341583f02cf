package io.casewatch.loops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextLimitTest {

    @Test
    void aTextWithinTheLimitIsKeptWhole() {
        assertThat(TextLimit.head("abcde", 5)).isEqualTo("abcde");
        assertThat(TextLimit.exceeds("abcde", 5)).isFalse();
        assertThat(TextLimit.head(null, 5)).isNull();
    }

    @Test
    void aLongerTextIsCutToItsFirstCharacters() {
        assertThat(TextLimit.exceeds("abcdef", 5)).isTrue();
        assertThat(TextLimit.head("abcdef", 5)).isEqualTo("abcde");
    }

    @Test
    void aCutThroughASurrogatePairDropsTheWholeCharacter() {
        String text = "abcd\uD83D\uDE00xyz"; // "abcd😀xyz": the emoji takes chars 4 and 5
        assertThat(TextLimit.head(text, 5)).isEqualTo("abcd");
        assertThat(TextLimit.head(text, 6)).isEqualTo("abcd\uD83D\uDE00");
    }
}
