package io.casewatch.app;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * The options of every command that reads casewatch's configuration, and the precedence they load with
 * (docs/operations.md): the file lowest, then the environment ({@code CASEWATCH_*}), then {@code --set}, then the
 * command's own flags.
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file with casewatch.* and Kafka client keys (lowest precedence: the environment and the flags override it).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A casewatch.* or Kafka client key, over the file and the environment; repeat for more.")
    Map<String, String> sets = new LinkedHashMap<>();

    /** The flags so far: {@code --set}'s; a command puts its own options over them. */
    Map<String, String> flags() {
        return new LinkedHashMap<>(sets);
    }

    AppConfig load(Map<String, String> env, Map<String, String> flags) {
        return AppConfig.load(configFile, env, flags);
    }
}
