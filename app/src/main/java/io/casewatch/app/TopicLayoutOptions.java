package io.casewatch.app;

import picocli.CommandLine.Option;

/** How casewatch's topics are laid out, for the commands that create or describe them (topics, strimzi). */
public final class TopicLayoutOptions {

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of every topic (inputs and ticks must match). Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--replication", defaultValue = "3", description = "Replication factor. Default: ${DEFAULT-VALUE}.")
    short replication;

    @Option(names = "--history-retention-ms", defaultValue = "-1",
            description = "retention.ms of topics that carry event history (-1: keep). Default: ${DEFAULT-VALUE}.")
    String historyRetention;
}
