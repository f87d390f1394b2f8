package io.solarwind.config;

import static io.solarwind.config.SettingCheck.BOOLEAN;
import static io.solarwind.config.SettingCheck.PORT;
import static io.solarwind.config.SettingCheck.number;
import static io.solarwind.config.SettingCheck.oneOf;
import static io.solarwind.config.SettingCheck.wholeNumber;

import io.solarwind.domain.InvalidInputException;
import io.solarwind.domain.Redelivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every Solar Wind setting, declared once with its default and its meaning.
 *
 * <p>Values come from MicroProfile Config: a JVM system property
 * ({@code -Dsolarwind.broker.port=61617}), an environment variable
 * ({@code SOLARWIND_BROKER_PORT=61617}) or a {@code <variable>} in the Liberty
 * server configuration. The settings table of docs/configuration.md is generated from this enum
 * ({@code SettingsDocumentationTest} fails when the two differ).
 *
 * <p>Each setting also says what values it takes ({@link SettingCheck}); {@link #validate} checks
 * them all once when the application starts, which refuses to start with the names and the bad
 * values rather than fail later, on the thread that first reads one.
 */
public enum Setting {
    BROKER_EMBEDDED("solarwind.broker.embedded", "true",
            "Start an Artemis broker inside the Solar Wind server; `false` connects to an external broker at `solarwind.broker.url`.", BOOLEAN),
    BROKER_HOST("solarwind.broker.host", "localhost",
            "Interface the embedded broker's TCP acceptor binds to."),
    BROKER_PORT("solarwind.broker.port", "61616",
            "Port of the embedded broker's TCP acceptor, where handler services and JMS publishers connect.", PORT),
    BROKER_AUDIT_LOG("solarwind.broker.audit-log", "false",
            "Write the embedded broker's audit log (Artemis's `org.apache.activemq.audit` loggers) to the server's log: a line for every message sent, delivered and acknowledged and for every management call, at a thousand events per second megabytes per second. Off by default, as in Artemis's own distribution.", BOOLEAN),
    BROKER_TLS_PORT("solarwind.broker.tls-port", "61617",
            "Port of the embedded broker's TLS acceptor (CORE over TLS); open only when `solarwind.broker.tls.keystore` is set.", PORT),
    BROKER_TLS_KEYSTORE("solarwind.broker.tls.keystore", "",
            "PKCS#12 key store holding the broker's certificate and key; empty means no TLS acceptor."),
    BROKER_TLS_KEYSTORE_PASSWORD("solarwind.broker.tls.keystore-password", "",
            "Password of `solarwind.broker.tls.keystore` (Artemis also takes `ENC(...)` masked passwords)."),
    BROKER_DATA_DIR("solarwind.broker.data-dir", "${server.output.dir}/artemis",
            "Directory of the embedded broker's journal, bindings, paging and large messages."),
    BROKER_HA("solarwind.broker.ha", "none",
            "The embedded broker's part in an Artemis high-availability pair with a shared store: `none` (alone), `primary` or `backup`. Both halves use one `solarwind.broker.data-dir` on a shared file system; the backup takes over when the primary goes, and hands back when it returns (see docs/high-availability.md).", oneOf("none", "primary", "backup")),
    BROKER_HA_PEER("solarwind.broker.ha.peer", "",
            "`host:port` of the other half's broker TCP acceptor, for the pair's cluster connection and this server's own failover; required with `solarwind.broker.ha`."),
    BROKER_CLUSTER_USER("solarwind.broker.cluster.user", "solarwind-cluster",
            "User the two halves of a pair authenticate to each other with (Artemis `cluster-user`)."),
    BROKER_CLUSTER_PASSWORD("solarwind.broker.cluster.password", "",
            "Password of `solarwind.broker.cluster.user`, the same on both halves; required with `solarwind.broker.ha`. It is also the password of the servers' internal broker user, so each server can use the other half's broker after a failover."),
    BROKER_URL("solarwind.broker.url", "",
            "URL the server itself uses to reach the broker; empty means `vm://0` (in-VM) with the embedded broker alone, both halves over TCP (`(tcp://this,tcp://peer)?ha=true`) with an embedded pair, else `tcp://localhost:61616`. For an external pair list both: `(tcp://a:61616,tcp://b:61617)?ha=true`."),
    BROKER_USER("solarwind.broker.user", "",
            "User the server connects to an external broker with (it needs the broker role `solarwind-server`); with the embedded broker, empty means an internal user with a password made up at each start."),
    BROKER_PASSWORD("solarwind.broker.password", "",
            "Password of `solarwind.broker.user`."),
    BROKER_SECURITY("solarwind.broker.security-enabled", "true",
            "Whether the embedded broker requires a user and checks its roles (`solarwind-admin`, `-publisher`, `-handler`, `-handler.<topic>.<purpose>`, `-handler-all`) on every address; `false` only for a broker no one else can reach.", BOOLEAN),
    BROKER_USERS_FILE("solarwind.broker.users-file", "${server.config.dir}/broker-users.properties",
            "The embedded broker's users and passwords, in Artemis's `artemis-users.properties` format (`user = password`, `ENC(...)` for hashed passwords); re-read when it changes. Missing: no one but the server gets in."),
    BROKER_ROLES_FILE("solarwind.broker.roles-file", "${server.config.dir}/broker-roles.properties",
            "The embedded broker's roles, in Artemis's `artemis-roles.properties` format (`role = user, user`); re-read when it changes."),
    JOURNAL_BUFFER_TIMEOUT("solarwind.broker.journal-buffer-micros", "300",
            "How long the embedded broker's journal gathers writes before one disk sync, in microseconds; 0 keeps Artemis's default (about 3,333 for NIO, 500 for ASYNCIO). Lower means less latency, more syncs.", wholeNumber(0, Integer.MAX_VALUE)),
    PURPOSE_QUEUE_BUFFER("solarwind.broker.purpose-queue-buffer", "512",
            "Initial size, in message references, of the buffer each purpose queue and fanout subscription takes at the broker (Artemis `initial-queue-buffer-size`, a power of 2; Artemis's default 8,192 costs 32 KiB of heap per queue). It grows under load.", wholeNumber(1, 1 << 30)),
    DEDUP_WINDOW("solarwind.dedup.window", "20000",
            "Duplicate suppression window: how many recent `id` + `source` pairs the broker remembers per address (Artemis `id-cache-size`, persisted).", wholeNumber(1, Integer.MAX_VALUE)),
    RETENTION_DAYS("solarwind.retention.days", "7",
            "How long the embedded broker keeps every received event (Artemis journal retention) for replay into purposes registered later; 0 turns retention (and replay) off.", wholeNumber(0, 36_500)),
    EVENT_MAX_BYTES("solarwind.events.max-bytes", "1048576",
            "Largest event accepted over HTTP, in bytes of request body; larger ones get 413.", wholeNumber(1, Integer.MAX_VALUE)),
    HTTP_MAX_MESSAGE_BYTES("solarwind.http.max-message-bytes", "16777216",
            "Largest request body Liberty lets through to the API, in bytes (its `httpOptions` `MessageSizeLimit`, set in `liberty/solarwind.xml`): a request announcing more gets Liberty's own 413, without a problem document, and its connection is closed without reading the body. Between `solarwind.events.max-bytes` and this, an event gets the API's 413 problem and Liberty reads and drops the rest of the body before closing the connection. At least `solarwind.events.max-bytes`.", wholeNumber(1, Integer.MAX_VALUE)),
    HTTP_BATCH_MAX_EVENTS("solarwind.http.batch.max-events", "1000",
            "Most events one CloudEvents batch (`application/cloudevents-batch+json`) may hold; a batch with more gets 413 and none of its events is stored. Each event of a batch is also held to `solarwind.events.max-bytes` (its data).", wholeNumber(1, 1_000_000)),
    HTTP_BATCH_MAX_BYTES("solarwind.http.batch.max-bytes", "16777216",
            "Largest CloudEvents batch accepted, in bytes of request body; a larger one gets 413 and none of its events is stored. At most `solarwind.http.max-message-bytes`.", wholeNumber(1, Integer.MAX_VALUE)),
    DISPATCH_BATCH("solarwind.dispatch.batch-size", "1000",
            "Most events the dispatcher takes into one local transaction; under light load each transaction holds one event.", wholeNumber(1, Integer.MAX_VALUE)),
    DISPATCH_WINDOW("solarwind.dispatch.window-bytes", "33554432",
            "How many bytes of events the broker pushes to the dispatcher ahead of its reading them (the JMS consumer window); with Artemis's default of 1 MiB the dispatcher spent most of its time waiting for the broker's next delivery.", wholeNumber(-1, Integer.MAX_VALUE)),
    DISPATCH_POLL_MILLIS("solarwind.dispatch.poll-millis", "1000",
            "How long the dispatcher waits for an event before checking whether it should stop, in milliseconds.", wholeNumber(1, Integer.MAX_VALUE)),
    DISPATCH_STANDBY_RETRY_MILLIS("solarwind.dispatch.standby-retry-millis", "500",
            "How often a standing-by dispatcher (another server's is active) asks the broker for the dispatcher's subscription, in milliseconds: the longest a takeover waits after the active server's broker connection closed.", wholeNumber(1, Integer.MAX_VALUE)),
    PUBLISH_SESSIONS("solarwind.publish.sessions", "16",
            "JMS sessions kept open between HTTP publishes; a burst of more concurrent requests opens extra sessions and closes them after.", wholeNumber(1, 100_000)),
    METRICS_PURPOSE_LABELS("solarwind.metrics.purpose-labels", "1000",
            "Most purposes that get series of their own (labels `topic`, `purpose`) in `/metrics`: the first ones by topic, then purpose name; the figures of the others are summed into the series labelled `_other`. 0 puts every purpose into `_other` (see docs/metrics.md).", wholeNumber(0, 1_000_000)),
    METRICS_CACHE_MILLIS("solarwind.metrics.cache-millis", "5000",
            "How long the per-purpose figures read from the broker for `/metrics` are reused, in milliseconds: a scrape asks the broker at most once in this time, and the set of labelled purposes follows registrations within it.", wholeNumber(0, 3_600_000)),
    PUSH_ALLOWED_HOSTS("solarwind.push.allowed-hosts", "",
            "Hosts that push purposes may POST to, comma-separated: `events.example.com`, `*.example.com` (its subdomains), `host:8443` (that port only). Checked when a purpose is registered with `push` (400 `push-target-not-allowed` otherwise) and again before each POST. Empty: push delivery is off. Redirects are never followed (see docs/http-api.md, \"Push delivery\")."),
    PUSH_CONNECT_TIMEOUT_MILLIS("solarwind.push.connect-timeout-millis", "5000",
            "How long a push consumer waits for the TCP (and TLS) connection to a push URL, in milliseconds; a connection not made in time is a failed delivery.", wholeNumber(1, 3_600_000)),
    PUSH_TIMEOUT_MILLIS("solarwind.push.timeout-millis", "10000",
            "How long a push consumer waits for a push URL's answer to one POST, in milliseconds; no answer in time is a failed delivery (the event is delivered again after the purpose's redelivery delay).", wholeNumber(1, 3_600_000)),
    MAX_DELIVERY_ATTEMPTS("solarwind.delivery.max-attempts", "10",
            "Deliveries of one message on a broker address that is not a purpose's (the dispatcher's inbound queue) before the embedded broker moves it to the dead-letter address `DLA`.", wholeNumber(1, Integer.MAX_VALUE)),
    REDELIVERY_ATTEMPTS("solarwind.redelivery.max-attempts", "5",
            "Default for a purpose registered without `redelivery.maxAttempts`: deliveries of one event to the purpose before it goes to `DLA`.", wholeNumber(1, Redelivery.MOST_ATTEMPTS)),
    REDELIVERY_DELAY("solarwind.redelivery.delay-millis", "1000",
            "Default `redelivery.delayMillis`: wait before the first redelivery of a failed event, in milliseconds.", wholeNumber(0, Redelivery.LONGEST_DELAY_MILLIS)),
    REDELIVERY_MULTIPLIER("solarwind.redelivery.multiplier", "2.0",
            "Default `redelivery.multiplier`: each further redelivery waits this many times longer than the one before.", number(1.0, Redelivery.LARGEST_MULTIPLIER)),
    REDELIVERY_MAX_DELAY("solarwind.redelivery.max-delay-millis", "60000",
            "Default `redelivery.maxDelayMillis`: the longest wait between two deliveries, in milliseconds.", wholeNumber(0, Redelivery.LONGEST_DELAY_MILLIS));

    private final String key;
    private final String defaultValue;
    private final String meaning;
    private final SettingCheck check;

    Setting(String key, String defaultValue, String meaning) {
        this(key, defaultValue, meaning, SettingCheck.ANY);
    }

    Setting(String key, String defaultValue, String meaning, SettingCheck check) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
        this.check = check;
    }

    /** The environment variable MicroProfile Config maps to this setting: {@code SOLARWIND_DISPATCH_BATCH_SIZE}. */
    public String environmentVariable() {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Null when {@code value} is good for this setting, else what is wrong, naming the setting and the value. */
    public String problem(String value) {
        String must = check.problem(value);
        return must == null ? null : key + " (environment variable " + environmentVariable() + ") is '" + value
                + "'; it must be " + must;
    }

    /**
     * What is wrong with the settings {@code lookup} gives (a missing one has its default), each
     * problem naming the setting and its value; empty when all are good.
     */
    public static List<String> problems(Function<String, Optional<String>> lookup) {
        List<String> problems = new ArrayList<>();
        for (Setting s : values()) {
            String problem = s.problem(lookup.apply(s.key).orElse(s.defaultValue));
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (problems.isEmpty() && Long.parseLong(value(lookup, EVENT_MAX_BYTES)) > Long.parseLong(value(lookup, HTTP_MAX_MESSAGE_BYTES))) {
            // Liberty would refuse such events before the API sees them, with a bare 413
            problems.add(EVENT_MAX_BYTES.key + " is '" + value(lookup, EVENT_MAX_BYTES) + "', above " + HTTP_MAX_MESSAGE_BYTES.key
                    + " ('" + value(lookup, HTTP_MAX_MESSAGE_BYTES) + "'), the largest body Liberty lets through; raise that too");
        }
        if (problems.isEmpty() && Long.parseLong(value(lookup, HTTP_BATCH_MAX_BYTES)) > Long.parseLong(value(lookup, HTTP_MAX_MESSAGE_BYTES))) {
            problems.add(HTTP_BATCH_MAX_BYTES.key + " is '" + value(lookup, HTTP_BATCH_MAX_BYTES) + "', above " + HTTP_MAX_MESSAGE_BYTES.key
                    + " ('" + value(lookup, HTTP_MAX_MESSAGE_BYTES) + "'), the largest body Liberty lets through; raise that too");
        }
        if (problems.isEmpty()) {
            // each default redelivery value is in range; together they must still make a policy
            try {
                new Redelivery(Integer.parseInt(value(lookup, REDELIVERY_ATTEMPTS)), Long.parseLong(value(lookup, REDELIVERY_DELAY)),
                        Double.parseDouble(value(lookup, REDELIVERY_MULTIPLIER)), Long.parseLong(value(lookup, REDELIVERY_MAX_DELAY)));
            } catch (InvalidInputException e) {
                problems.add(REDELIVERY_MAX_DELAY.key + " is '" + value(lookup, REDELIVERY_MAX_DELAY) + "' and "
                        + REDELIVERY_DELAY.key + " is '" + value(lookup, REDELIVERY_DELAY) + "': " + e.getMessage());
            }
        }
        return problems;
    }

    private static String value(Function<String, Optional<String>> lookup, Setting s) {
        return lookup.apply(s.key).orElse(s.defaultValue).trim();
    }

    /**
     * Checks every setting of {@code config} once.
     *
     * @throws IllegalStateException naming each bad setting and its value
     */
    public static void validate(Config config) {
        List<String> problems = problems(key -> config.getOptionalValue(key, String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Solar Wind does not start: " + (problems.size() == 1 ? "a setting has a bad value: "
                    : problems.size() + " settings have bad values: ") + String.join("; ", problems));
        }
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String meaning() {
        return meaning;
    }

    /**
     * The value as a file path, with {@code ${server.config.dir}} and {@code ${server.output.dir}}
     * resolved from the Liberty server (the working directory outside one).
     */
    public String getPath() {
        String value = get();
        String here = System.getProperty("user.dir");
        return value.replace("${server.config.dir}", System.getProperty("server.config.dir", here))
                .replace("${server.output.dir}", System.getProperty("server.output.dir", here));
    }

    /** The configured value, or the default; {@code ${name}} references are left to the caller. */
    public String get() {
        return get(ConfigProvider.getConfig());
    }

    public String get(Config config) {
        return config.getOptionalValue(key, String.class).orElse(defaultValue);
    }

    public int getInt() {
        String value = get();
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting " + key + " must be a whole number, not '" + value + "'", e);
        }
    }

    public long getLong() {
        String value = get();
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting " + key + " must be a whole number, not '" + value + "'", e);
        }
    }

    public double getDouble() {
        String value = get();
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting " + key + " must be a number, not '" + value + "'", e);
        }
    }

    public boolean getBoolean() {
        String value = get();
        if (BOOLEAN.problem(value) != null) {
            throw new IllegalStateException("Setting " + key + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value.trim());
    }

    /** The docs table row for this setting. */
    public String markdownRow() {
        String shown = defaultValue.isEmpty() ? "(empty)" : "`" + defaultValue + "`";
        return "| `" + key + "` | " + shown + " | " + meaning + " |";
    }

    /** The settings table of docs/configuration.md, header included. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| setting | default | meaning |\n| --- | --- | --- |\n");
        for (Setting s : values()) {
            table.append(s.markdownRow()).append('\n');
        }
        return table.toString();
    }
}
