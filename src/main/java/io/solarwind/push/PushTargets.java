package io.solarwind.push;

import io.solarwind.config.Setting;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts push purposes may POST to ({@code solarwind.push.allowed-hosts}), so that a
 * registration cannot make the server call whatever it can reach (its own broker, a cloud
 * metadata address, an internal service). An entry is a host name or address ({@code events.example.com},
 * {@code 10.0.0.7}), {@code *.example.com} for the subdomains of one, or either with
 * {@code :port} for that port only. Hosts compare by name, case-insensitively, as written in the
 * URL: {@code localhost} allows {@code http://localhost:8080/x}, not {@code http://127.0.0.1:8080/x}.
 */
public final class PushTargets {
    private final List<String> entries;

    PushTargets(String setting) {
        List<String> list = new ArrayList<>();
        for (String entry : setting.split("[,\\s]+")) {
            if (!entry.isBlank()) {
                list.add(entry.trim().toLowerCase(Locale.ROOT));
            }
        }
        this.entries = List.copyOf(list);
    }

    /** The hosts of the setting as it is now. */
    public static PushTargets fromSetting() {
        return new PushTargets(Setting.PUSH_ALLOWED_HOSTS.get());
    }

    /** Whether push delivery is on at all (the setting names some host). */
    public boolean enabled() {
        return !entries.isEmpty();
    }

    /** Whether a push URL's host (and port) is allowed. */
    public boolean allows(URI url) {
        String host = url.getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        for (String entry : entries) {
            String name = entry;
            String portText = null;
            if (entry.startsWith("[")) { // [IPv6 address] or [IPv6 address]:port
                int close = entry.indexOf(']');
                name = close < 0 ? entry.substring(1) : entry.substring(1, close);
                if (close >= 0 && entry.length() > close + 1 && entry.charAt(close + 1) == ':') {
                    portText = entry.substring(close + 2);
                }
            } else if (entry.indexOf(':') > 0 && entry.indexOf(':') == entry.lastIndexOf(':')) { // host:port
                name = entry.substring(0, entry.indexOf(':'));
                portText = entry.substring(entry.indexOf(':') + 1);
            }
            int entryPort = -1;
            if (portText != null) {
                try {
                    entryPort = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    continue;
                }
            }
            boolean hostMatches = name.startsWith("*.")
                    ? host.endsWith(name.substring(1)) && host.length() > name.length() - 1
                    : host.equals(name);
            if (hostMatches && (entryPort == -1 || entryPort == port)) {
                return true;
            }
        }
        return false;
    }

    /** Why a URL is refused, naming the setting; null when it is allowed. */
    public String refusal(URI url) {
        if (!enabled()) {
            return "push delivery is off on this server: " + Setting.PUSH_ALLOWED_HOSTS.key() + " (" + Setting.PUSH_ALLOWED_HOSTS.environmentVariable()
                    + ") names no host that push purposes may call";
        }
        if (!allows(url)) {
            return "the host '" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()) + "' of push.url is not in "
                    + Setting.PUSH_ALLOWED_HOSTS.key() + " (" + Setting.PUSH_ALLOWED_HOSTS.environmentVariable()
                    + "), the hosts push purposes may call";
        }
        return null;
    }
}
