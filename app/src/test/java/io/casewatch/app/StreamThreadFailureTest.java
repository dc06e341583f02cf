package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** Which stream-thread deaths replace the thread and which stop the instance with a reason. */
class StreamThreadFailureTest {

    @Test
    void aPositionAskedBeforeTheResetReplacesTheThread() {
        var race = new NoOffsetForPartitionException(Map.of(new TopicPartition("escalations.acks.v1", 2), 0L).keySet());
        assertThat(Pipeline.isPositionRace(new StreamsException(race))).isTrue();
    }

    @Test
    void aMissingPermissionOrADefectStopsTheInstance() {
        assertThat(Pipeline.isPositionRace(new StreamsException(new TopicAuthorizationException("denied")))).isFalse();
        assertThat(Pipeline.isPositionRace(new IllegalStateException("a defect"))).isFalse();
    }
}
