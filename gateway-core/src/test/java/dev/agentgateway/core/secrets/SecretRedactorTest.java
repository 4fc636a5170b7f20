package dev.agentgateway.core.secrets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The project's one set of redaction rules. */
class SecretRedactorTest {

    @Test
    void redactsTheKeyAndKeyShapedText() {
        SecretRedactor redactor = SecretRedactor.of("my-own-key-123");

        assertThat(redactor.redact("key my-own-key-123 rejected")).isEqualTo("key ****** rejected");
        assertThat(redactor.redact("Incorrect API key provided: sk-proj-abcdefghijklmnop")).doesNotContain("abcdefghijklmnop");
        assertThat(redactor.redact("Authorization: Bearer abc.def-ghi_jkl")).doesNotContain("abc.def-ghi_jkl");
        String googleShapedKey = "AIza" + "SyA1234567890abcdefghijklmnopq"; // assembled so no key-shaped literal is committed
        assertThat(redactor.redact("key=" + googleShapedKey)).doesNotContain("SyA1234567890");
        assertThat(redactor.redact("nothing to hide here")).isEqualTo("nothing to hide here");
        assertThat(SecretRedactor.of((String) null).redact("text")).isEqualTo("text");
    }

    @Test
    void withAddsASecretAndIgnoresBlankOrShortOnes() {
        SecretRedactor redactor = SecretRedactor.none().with("house-secret-42").with("abc").with(null);

        assertThat(redactor.redact("house-secret-42 and abc")).isEqualTo("****** and abc");
        assertThat(SecretRedactor.none().with("abc")).isSameAs(SecretRedactor.none());
    }

    @Test
    void aCauseChainHoldingASecretIsCopiedWithRedactedMessagesTypesAndStackTraces() {
        IllegalStateException inner = new IllegalStateException("inner house-secret-42");
        RuntimeException outer = new RuntimeException("outer house-secret-42", inner);
        SecretRedactor redactor = SecretRedactor.of("house-secret-42");

        Throwable safe = redactor.safeCause(outer);

        assertThat(redactor.exposedIn(outer)).isTrue();
        assertThat(redactor.exposedIn(safe)).isFalse();
        assertThat(safe.toString()).isEqualTo("java.lang.RuntimeException: outer ******");
        assertThat(safe.getCause().toString()).isEqualTo("java.lang.IllegalStateException: inner ******");
        assertThat(safe.getStackTrace()).isEqualTo(outer.getStackTrace());
    }

    @Test
    void aCleanFailureIsKeptAsItIs() {
        IllegalStateException clean = new IllegalStateException("nothing here");

        assertThat(SecretRedactor.of("house-secret-42").safeCause(clean)).isSameAs(clean);
    }
}
