package io.solarwind.handler;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every setting of a handler service, declared once with its default and its meaning,
 * read through MicroProfile Config (system property, environment variable such as
 * {@code SOLARWIND_ADMIN_URL}, or a server.xml {@code <variable>}).
 */
public enum HandlerSetting {
    ADMIN_URL("solarwind.admin.url", "http://localhost:9080",
            "Base URL of the Solar Wind server whose admin API registers this service's purposes."),
    ADMIN_USER("solarwind.admin.user", "",
            "User (in the Solar Wind server's `solarwind-admin` group) that registers this service's purposes, with HTTP Basic; empty for none."),
    ADMIN_PASSWORD("solarwind.admin.password", "",
            "Password of `solarwind.admin.user`."),
    ADMIN_TOKEN("solarwind.admin.token", "",
            "A bearer token (MicroProfile JWT with the group `solarwind-admin`) to register with instead of a user and password."),
    REGISTRATION_TIMEOUT("solarwind.handler.registration-timeout-seconds", "120",
            "How long deployment retries registering purposes while the Solar Wind server is not up; then the deployment fails."),
    CONNECTION_FACTORY("solarwind.handler.connection-factory", "jms/solarwind",
            "JNDI name of the Solar Wind resource adapter's connection factory, used to publish events and to dead-letter failed ones."),
    SOURCE("solarwind.handler.source", "",
            "CloudEvents `source` of events this service publishes; empty means `/solarwind/handler/<application name>`.");

    private final String key;
    private final String defaultValue;
    private final String meaning;

    HandlerSetting(String key, String defaultValue, String meaning) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
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

    /** The configured value, or the default. */
    public String get() {
        return ConfigProvider.getConfig().getOptionalValue(key, String.class).orElse(defaultValue);
    }

    public int getInt() {
        String value = get().trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting " + key + " must be a whole number, not '" + value + "'", e);
        }
    }

    /** The handler settings table of docs/handlers.md, header included. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| setting | default | meaning |\n| --- | --- | --- |\n");
        for (HandlerSetting s : values()) {
            String shown = s.defaultValue.isEmpty() ? "(empty)" : "`" + s.defaultValue + "`";
            table.append("| `").append(s.key).append("` | ").append(shown).append(" | ").append(s.meaning).append(" |\n");
        }
        return table.toString();
    }
}
