package io.casewatch.stats;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SketchRuntimeTest {

    @Test
    void theJavaTheTestsRunOnCanRunTheSketches() {
        assertThatCode(SketchRuntime::requireUsable).doesNotThrowAnyException();
    }

    @Test
    void aSketchLibraryRefusingThisJavaStopsWithALineNamingTheJavaToUse() {
        IllegalArgumentException refusal = new IllegalArgumentException("Unsupported JDK Major Version. It must be one of 1.8, 8, 11, 17, 21: 25.0.3");
        assertThatThrownBy(() -> SketchRuntime.require(() -> {
            throw new ExceptionInInitializerError(refusal);
        }, "25.0.3+9-LTS"))
                .isInstanceOf(SketchRuntime.UnsupportedJava.class)
                .hasMessageContaining("this Java (25.0.3+9-LTS)")
                .hasMessageContaining("JDK 17 or 21");
    }
}
