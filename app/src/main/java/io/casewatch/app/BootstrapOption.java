package io.casewatch.app;

import java.util.Map;

import picocli.CommandLine.Option;

/** {@code --bootstrap-servers} of the commands that talk to a cluster. */
public final class BootstrapOption {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (overrides the file, the environment and --set).")
    String bootstrapServers;

    /** Puts the option, when given, over what {@code flags} holds. */
    void putInto(Map<String, String> flags) {
        if (bootstrapServers != null) {
            flags.put("bootstrap.servers", bootstrapServers);
        }
    }
}
