package io.casewatch.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

import io.casewatch.policy.PolicySet;
import io.casewatch.schema.MerchantStats;
import io.casewatch.testing.Events;
import io.casewatch.topology.CasewatchTopology;
import io.casewatch.topology.Topics;
import io.casewatch.topology.TopologyRuntime;

class MerchantStatsTimestampTest {

    @Test
    void liveDayWindowIsStampedWithTheWatermarkNotWithTheDayEndStillAhead() throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stats-ts");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("casewatch-ttd-").toString());
        Topics topics = Topics.defaults();
        Instant opened = Instant.parse("2026-03-02T08:00:00Z");
        Instant now = opened.plusSeconds(20 * 60);
        try (TopologyTestDriver d = new TopologyTestDriver(CasewatchTopology.build(CasewatchTopology.Settings.defaults(topics, PolicySet.presets()), TopologyRuntime.replay()),
                props, opened)) {
            TestInputTopic<String, byte[]> complaints = d.createInputTopic(topics.complaints().name(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestInputTopic<String, byte[]> ticks = d.createInputTopic(topics.ticks().name(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            var e = Events.opened("c-1", opened, "GB");
            complaints.pipeInput(new TestRecord<>("c-1", io.casewatch.schema.serde.RecordSerdes.COMPLAINT_EVENT.toBytes(e), opened));
            RecordHeaders h = new RecordHeaders();
            h.add("casewatch.tick", "1".getBytes(StandardCharsets.UTF_8));
            ticks.pipeInput(new TestRecord<>("tick", new byte[0], h, now));

            List<TestRecord<String, MerchantStats>> stats = d.createOutputTopic(topics.merchantStats().name(),
                    Serdes.String().deserializer(), topics.merchantStats().valueSerde().deserializer()).readRecordsToList();

            assertThat(stats).isNotEmpty();
            assertThat(stats).allSatisfy(r -> {
                assertThat(r.value().getFinal$()).isFalse();
                assertThat(r.value().getWindowEnd()).isAfter(now);
                assertThat(r.getRecordTime()).isBeforeOrEqualTo(now);
            });
        }
    }
}
