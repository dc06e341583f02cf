package io.casewatch.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.streams.StreamsConfig;

import io.casewatch.topology.Topics;

/**
 * Layered configuration: a properties file, then environment variables, then command-line flags, each layer
 * overriding the one before (docs/configuration.md). Keys are either casewatch's own ({@code casewatch.*}) or
 * Kafka client keys; an unknown key, or a key given twice in one layer, stops start-up with a message naming it.
 *
 * <p>Environment variables map by prefix: {@code CASEWATCH_KAFKA_BOOTSTRAP_SERVERS} is the Kafka key
 * {@code bootstrap.servers}; {@code CASEWATCH_POLICIES_FILE} is {@code casewatch.policies.file}.
 */
public final class AppConfig {

    public static final String ENV_PREFIX = "CASEWATCH_";
    public static final String ENV_KAFKA_PREFIX = "CASEWATCH_KAFKA_";
    /**
     * Variables of the {@code ./casewatch} launcher, not configuration: without this set the documented
     * {@code CASEWATCH_JAVA_OPTS=-Xmx4g ./casewatch replay ...} failed as an unknown key {@code casewatch.java.opts}.
     */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("CASEWATCH_JAVA_OPTS", "CASEWATCH_REBUILD");

    public static final String POLICIES_FILE = "casewatch.policies.file";
    public static final String PHRASES_DIR = "casewatch.phrases.dir";
    public static final String SIMILARITY = "casewatch.similarity.threshold";
    public static final String GRACE = "casewatch.lateness.grace";
    public static final String PUNCTUATE = "casewatch.punctuate.interval";
    public static final String TICK = "casewatch.tick.interval";
    /** {@link #gatesDeadlines}. */
    public static final String DEADLINE_GATE = "casewatch.deadline.gate";
    public static final String MAX_FUTURE = "casewatch.max.future";
    public static final String MAX_TEXT = "casewatch.max.text.chars";
    public static final String ORPHAN_GRACE = "casewatch.orphan.grace";
    public static final String STORM_CAP = "casewatch.storm.cap";
    public static final String STORM_WINDOW = "casewatch.storm.window";
    public static final String QUIET_CALENDAR = "casewatch.quiet.calendar";
    public static final String STATS_GRACE = "casewatch.stats.grace";
    public static final String STATS_LIVE = "casewatch.stats.live.interval";
    public static final String STATS_WATERMARK_PACE = "casewatch.stats.watermark.pace";
    public static final String STATUS_INTERVAL = "casewatch.status.interval";
    public static final String TOPIC_PREFIX = "casewatch.topic.";
    public static final String HTTP_BIND = "casewatch.http.bind";
    public static final String HTTP_PORT = "casewatch.http.port";
    public static final String HTTP_ADVERTISED_HOST = "casewatch.http.advertised.host";
    public static final String HTTP_TOKEN = "casewatch.http.token";
    public static final String HTTP_TOKEN_FILE = "casewatch.http.token.file";
    public static final String STARTUP_TIMEOUT = "casewatch.startup.timeout";
    public static final String NOTIFY_ALERTMANAGER_URLS = "casewatch.notify.alertmanager.urls";
    public static final String NOTIFY_CASE_URL = "casewatch.notify.case.url";
    public static final String NOTIFY_DEPLOYMENT = "casewatch.notify.deployment";
    public static final String NOTIFY_GROUP = "casewatch.notify.group";
    public static final String NOTIFY_RESEND = "casewatch.notify.resend.interval";
    public static final String NOTIFY_GIVE_UP = "casewatch.notify.give.up.after";
    public static final String NOTIFY_HTTP_BIND = "casewatch.notify.http.bind";
    public static final String NOTIFY_HTTP_PORT = "casewatch.notify.http.port";
    public static final String ROCKSDB_MEMORY_MIB = "casewatch.rocksdb.memory.mib";
    public static final String ROCKSDB_WRITE_BUFFER_MIB = "casewatch.rocksdb.write.buffer.mib";

    static final Set<String> CASEWATCH_KEYS = Set.of(POLICIES_FILE, PHRASES_DIR, SIMILARITY, GRACE, PUNCTUATE, TICK, DEADLINE_GATE, STATS_GRACE, STATS_LIVE, STATS_WATERMARK_PACE, STATUS_INTERVAL,
            MAX_FUTURE, MAX_TEXT, ORPHAN_GRACE, STORM_CAP, STORM_WINDOW, QUIET_CALENDAR, HTTP_BIND, HTTP_PORT, HTTP_ADVERTISED_HOST, HTTP_TOKEN,
            HTTP_TOKEN_FILE, STARTUP_TIMEOUT, ROCKSDB_MEMORY_MIB, ROCKSDB_WRITE_BUFFER_MIB,
            NOTIFY_ALERTMANAGER_URLS, NOTIFY_CASE_URL, NOTIFY_DEPLOYMENT, NOTIFY_GROUP, NOTIFY_RESEND, NOTIFY_GIVE_UP, NOTIFY_HTTP_BIND, NOTIFY_HTTP_PORT);
    private static final List<String> CLIENT_PREFIXES = List.of(StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.TOPIC_PREFIX);

    private static final String CONFIG_PROVIDER_PREFIX = AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".";

    private final Map<String, String> values;

    private AppConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Merges the layers in precedence order and validates every key. */
    public static AppConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (file != null) {
            merged.putAll(readFile(file));
        }
        merged.putAll(fromEnv(env));
        merged.putAll(flags);
        for (String k : merged.keySet()) {
            validateKey(k);
        }
        return new AppConfig(merged);
    }

    static Map<String, String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(file + ":" + (i + 1) + ": expected key=value");
            }
            String k = line.substring(0, eq).strip();
            if (out.put(k, line.substring(eq + 1).strip()) != null) {
                throw new ConfigException(file + ":" + (i + 1) + ": key '" + k + "' is given twice");
            }
        }
        return out;
    }

    static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX) || LAUNCHER_VARIABLES.contains(name) || isServiceLink(name, e.getValue())) {
                continue;
            }
            String key = name.startsWith(ENV_KAFKA_PREFIX)
                    ? name.substring(ENV_KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.')
                    : "casewatch." + name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (!seen.add(key)) {
                throw new ConfigException("environment variables " + name + " and another map to the same key " + key);
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    /**
     * Whether a variable is one a kubelet injects for a Service (docker links have the same shape): for a Service
     * {@code casewatch} these are {@code CASEWATCH_SERVICE_HOST}, {@code CASEWATCH_SERVICE_PORT[_<name>]},
     * {@code CASEWATCH_PORT=tcp://10.0.0.1:8080} and {@code CASEWATCH_PORT_8080_TCP[_PROTO|_PORT|_ADDR]}. They are
     * not configuration, and without this rule every pod crashed at start-up on the unknown key
     * {@code casewatch.port}. The bare {@code *_PORT} is recognised by its {@code tcp://} value, so that a real key
     * ending in {@code .port} ({@code CASEWATCH_HTTP_PORT=8080}) is still read.
     */
    static boolean isServiceLink(String name, String value) {
        return SERVICE_LINK_NAME.matcher(name).matches()
                || name.endsWith("_PORT") && value != null && SERVICE_LINK_VALUE.matcher(value).matches();
    }

    private static final Pattern SERVICE_LINK_NAME = Pattern.compile(
            "[A-Z0-9_]+_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_[0-9]+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)");
    private static final Pattern SERVICE_LINK_VALUE = Pattern.compile("(tcp|udp|sctp)://\\S+:[0-9]+");

    static void validateKey(String k) {
        if (k.startsWith("casewatch.")) {
            if (CASEWATCH_KEYS.contains(k) || k.startsWith(TOPIC_PREFIX) && Topics.DEFAULT_NAMES
                    .containsKey(k.substring(TOPIC_PREFIX.length()))) {
                return;
            }
            throw new ConfigException("unknown casewatch key '" + k + "'; known: " + new TreeSet<>(CASEWATCH_KEYS)
                    + " and " + TOPIC_PREFIX + "<" + String.join("|", new TreeSet<>(Topics.DEFAULT_NAMES.keySet())) + ">");
        }
        if (k.startsWith(CONFIG_PROVIDER_PREFIX)) {
            // Kafka's config providers (config.providers.<alias>.class, .param.<name>): how secrets are read from
            // files or the environment (docs/operations.md, Security).
            return;
        }
        if (k.startsWith(StreamsConfig.CLIENT_TAG_PREFIX)) {
            // client.tag.<name>: this instance's place (zone, rack) for rack.aware.assignment.tags.
            return;
        }
        String bare = k;
        for (String p : CLIENT_PREFIXES) {
            if (k.startsWith(p)) {
                bare = k.substring(p.length());
                if (p.equals(StreamsConfig.TOPIC_PREFIX)) {
                    return;
                }
                break;
            }
        }
        if (StreamsConfig.configDef().names().contains(bare) || ProducerConfig.configNames().contains(bare)
                || ConsumerConfig.configNames().contains(bare) || AdminClientConfig.configNames().contains(bare)) {
            return;
        }
        throw new ConfigException("unknown configuration key '" + k + "' (neither a casewatch.* key nor a Kafka client key)");
    }

    public String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    public Duration duration(String key, Duration dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Duration.parse(v);
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": '" + v + "' is not an ISO-8601 duration such as PT0.5S");
        }
    }

    /**
     * Whether deadlines fired by time passing wait until every input partition of their task is proven past them
     * (docs/time.md, "Deadlines safe by construction"): {@code proven}, {@code stream-time}, or {@code auto} (the
     * default: proven when this instance writes heartbeats).
     */
    public boolean gatesDeadlines(boolean ticks) {
        String v = values.getOrDefault(DEADLINE_GATE, "auto");
        return switch (v) {
            case "auto" -> ticks;
            case "proven" -> true;
            case "stream-time" -> false;
            default -> throw new ConfigException(DEADLINE_GATE + ": '" + v + "' is not one of auto, proven, stream-time");
        };
    }

    public int integer(String key, int dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + v + "' is not an integer");
        }
    }

    public double decimal(String key, double dflt) {
        String v = values.get(key);
        try {
            return v == null ? dflt : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + v + "' is not a number");
        }
    }

    /** The Kafka client keys only. */
    public Map<String, String> kafka() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!k.startsWith("casewatch.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Topic names overridden by {@code casewatch.topic.<key>}. */
    public Map<String, String> topicNames() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(TOPIC_PREFIX)) {
                out.put(k.substring(TOPIC_PREFIX.length()), v);
            }
        });
        return out;
    }

    /** A configuration error: the message names the key. */
    public static final class ConfigException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
