package io.casewatch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
    private final BearerToken token = new BearerToken("s3cret-token-0123456789");

    @Test
    void acceptsOnlyTheExactBearerToken() {
        assertThat(token.accepts("Bearer s3cret-token-0123456789")).isTrue();
        assertThat(token.accepts("bearer s3cret-token-0123456789")).isTrue();
        assertThat(token.accepts("Bearer s3cret-token-012345678")).isFalse();
        assertThat(token.accepts("Bearer s3cret-token-01234567890")).isFalse();
        assertThat(token.accepts("Basic s3cret-token-0123456789")).isFalse();
        assertThat(token.accepts("s3cret-token-0123456789")).isFalse();
        assertThat(token.accepts("")).isFalse();
        assertThat(token.accepts(null)).isFalse();
    }
}
