package io.casewatch.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.casewatch.broker.LocalKafka;

/**
 * A real single-node KRaft broker (127.0.0.1) for the tests of one class: started before the class's first test and
 * its {@code @BeforeAll} methods, stopped after the last. Register it as
 * {@code @RegisterExtension static final RealBroker BROKER = RealBroker.withTopics(3);}.
 */
final class RealBroker implements BeforeAllCallback, AfterAllCallback {

    private final int partitions;
    private LocalKafka kafka;

    private RealBroker(int partitions) {
        this.partitions = partitions;
    }

    /** A broker with casewatch's topics, each with this many partitions. */
    static RealBroker withTopics(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        return new RealBroker(partitions);
    }

    /** A broker with no topics: the test creates what it needs. */
    static RealBroker bare() {
        return new RealBroker(0);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = partitions == 0 ? LocalKafka.start() : ItSupport.brokerWithTopics(partitions);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    LocalKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the broker runs only while the test class does");
        }
        return kafka;
    }

    String bootstrapServers() {
        return kafka().bootstrapServers();
    }
}
