package io.casewatch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB bound and the rack tag reach Kafka Streams as configured by the Kubernetes manifests. */
class BoundedRocksDbTest {

    @Test
    void realRocksDbStoresShareTheConfiguredCache(@TempDir Path state) {
        AppConfig cfg = AppConfig.load(null, Map.of(), Map.of("bootstrap.servers", "127.0.0.1:9", AppConfig.ROCKSDB_MEMORY_MIB, "64",
                "state.dir", state.toString()));
        Properties props = Pipeline.streamsProperties(cfg);
        assertThat(props).containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName())
                .containsEntry(AppConfig.ROCKSDB_WRITE_BUFFER_MIB, "16"); // a quarter unless configured

        StreamsBuilder b = new StreamsBuilder();
        b.table("in", Materialized.<String, String, KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("a")
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        b.table("in2", Materialized.<String, String, KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("b")
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        Properties driverProps = new Properties(); // the bound's keys only: the rest of casewatch's defaults need its topology
        driverProps.put(StreamsConfig.APPLICATION_ID_CONFIG, "bounded-rocksdb-test");
        driverProps.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        for (String k : java.util.List.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, AppConfig.ROCKSDB_MEMORY_MIB, AppConfig.ROCKSDB_WRITE_BUFFER_MIB)) {
            driverProps.put(k, props.get(k));
        }
        try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), driverProps)) {
            driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer()).pipeInput("k", "v");
            assertThat(driver.<String, String>getTimestampedKeyValueStore("a").get("k")).isNotNull().extracting(v -> v.value()).isEqualTo("v");
        }
        // Whichever test of this JVM opened the first bounded store fixed the size; it is the bound, not a per-store one.
        assertThat(BoundedRocksDb.totalBytes()).isPositive().isLessThanOrEqualTo(1024L * 1024 * 1024);
    }

    @Test
    void aWriteBufferShareAboveTheBoundIsAConfigurationError() {
        assertThatThrownBy(() -> Pipeline.streamsProperties(AppConfig.load(null, Map.of(), Map.of("bootstrap.servers", "x:1",
                AppConfig.ROCKSDB_MEMORY_MIB, "64", AppConfig.ROCKSDB_WRITE_BUFFER_MIB, "64"))))
                .isInstanceOf(AppConfig.ConfigException.class).hasMessageContaining("must be above 0 and below");
    }

    @Test
    void theZoneTagIsReadFromTheFileTheInitContainerWrites(@TempDir Path dir) throws Exception {
        Path zone = Files.writeString(dir.resolve("zone.properties"), "zone=eu-west-1b\n");
        AppConfig cfg = AppConfig.load(null, Map.of(), Map.of("bootstrap.servers", "127.0.0.1:9", "rack.aware.assignment.tags", "zone",
                "client.tag.zone", "${file:" + zone + ":zone}", "config.providers", "file",
                "config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider",
                "config.providers.file.param.allowed.paths", dir.toString()));
        StreamsConfig streams = new StreamsConfig(Pipeline.streamsProperties(cfg));
        assertThat(streams.getClientTags()).containsExactly(Map.entry("zone", "eu-west-1b"));
        assertThat(streams.getList(StreamsConfig.RACK_AWARE_ASSIGNMENT_TAGS_CONFIG)).containsExactly("zone");
    }
}
