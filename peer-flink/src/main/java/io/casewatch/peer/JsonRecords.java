package io.casewatch.peer;

import java.nio.charset.StandardCharsets;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a {@link KeyedJson} as a Kafka record: UTF-8 key and JSON value, timestamped with the element's event time. */
final class JsonRecords<T extends KeyedJson> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    JsonRecords(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, element.key().getBytes(StandardCharsets.UTF_8),
                element.toJson().getBytes(StandardCharsets.UTF_8));
    }
}
