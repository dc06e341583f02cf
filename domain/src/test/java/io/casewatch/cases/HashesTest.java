package io.casewatch.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class HashesTest {

    @Property
    void appendKeepsTheNewestHashesInOrder(@ForAll @Size(max = 40) List<Long> hashes, @ForAll @IntRange(min = 1, max = 16) int max) {
        ByteBuffer buf = ByteBuffer.allocate(0);
        for (long h : hashes) {
            buf = Hashes.append(buf, h, max);
        }
        List<Long> expected = hashes.subList(Math.max(0, hashes.size() - max), hashes.size());
        List<Long> kept = new ArrayList<>();
        for (long x : Hashes.longs(buf)) {
            kept.add(x);
        }
        assertThat(kept).isEqualTo(expected);
    }

    @Test
    void containsFindsOnlyWhatWasAppended() {
        ByteBuffer buf = Hashes.append(Hashes.append(ByteBuffer.allocate(0), 7L, 4), -3L, 4);
        assertThat(Hashes.contains(buf, 7L)).isTrue();
        assertThat(Hashes.contains(buf, -3L)).isTrue();
        assertThat(Hashes.contains(buf, 3L)).isFalse();
    }

    @Test
    void readingLeavesTheBufferAsItWas() {
        ByteBuffer buf = Hashes.append(ByteBuffer.allocate(0), 42L, 4);
        Hashes.longs(buf);
        assertThat(Hashes.longs(buf)).containsExactly(42L);
    }
}
