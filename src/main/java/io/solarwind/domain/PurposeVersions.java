package io.solarwind.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The versions of a purpose that its instances implement, the one that gets the purpose's new
 * events (the active version), and the cut-overs so far.
 *
 * <p>An instance that declares no version implements {@value #DEFAULT}. A direct purpose's versions
 * each have a queue of their own; the dispatcher routes each event to the queue of the version that
 * is active when it dispatches the event, so a cut-over holds from an exact point of the event
 * stream: the events before it stay with the old version (its instances finish them), the events
 * after it go to the new one, and no event reaches both. A fanout purpose's versions are recorded
 * and shown only: every connected instance gets a copy, whatever its version.
 *
 * @param known    the versions in the order they were first registered (the first is the base)
 * @param active   the version new events go to
 * @param cutovers the latest cut-overs, oldest first (at most {@value #KEPT_CUTOVERS})
 */
public record PurposeVersions(List<Version> known, String active, List<Cutover> cutovers) {
    /** The version of an instance that declares none. */
    public static final String DEFAULT = "1";
    public static final int MAX_LENGTH = 32;
    /** Versions a purpose may have: each is a queue whose filter every event of the topic passes through. */
    public static final int MAX_VERSIONS = 32;
    static final int KEPT_CUTOVERS = 20;
    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** A version and when it was first registered. */
    public record Version(String name, Instant registeredAt) {
        public Version {
            check(name);
            Objects.requireNonNull(registeredAt, "registeredAt");
        }
    }

    /** The active version changed from {@code from} to {@code to} at {@code at}. */
    public record Cutover(String from, String to, Instant at) {
        public Cutover {
            check(from);
            check(to);
            Objects.requireNonNull(at, "at");
        }
    }

    public PurposeVersions {
        known = List.copyOf(known);
        cutovers = List.copyOf(cutovers);
        if (known.isEmpty()) {
            throw new IllegalArgumentException("a purpose has at least one version");
        }
        check(active);
        if (known.stream().noneMatch(v -> v.name().equals(active))) {
            throw new IllegalArgumentException("active version " + active + " is not one of " + known);
        }
    }

    /** Checks a version name: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 32 characters. */
    public static String check(String version) {
        return Names.check("purposeVersion", version, PATTERN, MAX_LENGTH,
                "a version starts with a letter or digit and holds only letters, digits, '.', '_' and '-'");
    }

    /** A purpose's versions when it is first registered: {@code version}, active. */
    public static PurposeVersions first(String version, Instant at) {
        return new PurposeVersions(List.of(new Version(version, at)), version, List.of());
    }

    public boolean has(String version) {
        return known.stream().anyMatch(v -> v.name().equals(version));
    }

    /** Whether the purpose has more than one version: the dispatcher then routes each event to the active one's queue. */
    public boolean several() {
        return known.size() > 1;
    }

    /** The version registered first, whose queue also takes the events dispatched before the purpose had several. */
    public String base() {
        return known.get(0).name();
    }

    public List<String> names() {
        return known.stream().map(Version::name).toList();
    }

    /**
     * These versions and {@code version}, which is not active yet.
     *
     * @throws IllegalStateException when the purpose has {@value #MAX_VERSIONS} versions already
     */
    public PurposeVersions with(String version, Instant at) {
        if (has(version)) {
            return this;
        }
        if (known.size() >= MAX_VERSIONS) {
            throw new IllegalStateException("the purpose has " + known.size() + " versions, the most it may have");
        }
        List<Version> more = new ArrayList<>(known);
        more.add(new Version(version, at));
        return new PurposeVersions(more, active, cutovers);
    }

    /** These versions with {@code version} active from now; the same when it is active already. */
    public PurposeVersions cutOver(String version, Instant at) {
        if (!has(version)) {
            throw new IllegalArgumentException("no version " + version + " among " + names());
        }
        if (version.equals(active)) {
            return this;
        }
        List<Cutover> history = new ArrayList<>(cutovers);
        history.add(new Cutover(active, version, at));
        while (history.size() > KEPT_CUTOVERS) {
            history.remove(0);
        }
        return new PurposeVersions(known, version, history);
    }
}
