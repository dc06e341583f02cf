package io.casewatch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/** The replay output writes times without {@link Instant#toString}: the text must be exactly the same. */
class AvroJsonInstantTest {

    private static final long LAST_SECOND_OF_9999 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void writesEveryInstantExactlyAsInstantToString() throws Exception {
        List<Instant> cases = new ArrayList<>(List.of(Instant.EPOCH, Instant.ofEpochMilli(1), Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(0, 1000), Instant.ofEpochSecond(59, 999_999_999), Instant.parse("2000-02-29T12:00:00Z"),
                Instant.parse("2026-01-05T00:04:36.695Z"), Instant.parse("2026-12-31T23:59:59.999Z"),
                Instant.parse("2100-03-01T00:00:00Z"), Instant.ofEpochSecond(LAST_SECOND_OF_9999, 999_999_999),
                Instant.ofEpochSecond(LAST_SECOND_OF_9999 + 1), Instant.ofEpochMilli(-1), Instant.ofEpochSecond(-1, 500),
                Instant.MIN, Instant.MAX));
        SplittableRandom random = new SplittableRandom(20260801);
        for (int k = 0; k < 400_000; k++) {
            long secs = k % 10 == 0 ? random.nextLong(-100_000_000_000L, 400_000_000_000L) : random.nextLong(0, LAST_SECOND_OF_9999 + 1);
            int nanos = switch (k % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            cases.add(Instant.ofEpochSecond(secs, nanos));
        }
        // Day boundaries of every year, where calendar arithmetic goes wrong first.
        for (long day = 0; day * 86400 <= LAST_SECOND_OF_9999; day += 1 + day % 7) {
            cases.add(Instant.ofEpochSecond(day * 86400));
            cases.add(Instant.ofEpochSecond(day * 86400 - 1 < 0 ? 0 : day * 86400 - 1, 120_000_000));
        }
        JsonFactory factory = new JsonFactory();
        for (Instant i : cases) {
            StringWriter text = new StringWriter();
            try (JsonGenerator g = factory.createGenerator(text)) {
                AvroJson.writeInstant(g, i);
            }
            assertThat(text.toString()).as("epoch second %d nano %d", i.getEpochSecond(), i.getNano()).isEqualTo('"' + i.toString() + '"');
        }
    }
}
