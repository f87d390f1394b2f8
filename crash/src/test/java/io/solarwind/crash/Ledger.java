package io.solarwind.crash;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the publishers did: event {@code n} of the run ({@code 0 <= n < events}) has the
 * id {@code <run>-<n>}; it is handed to one publisher, which sends it until the send is
 * acknowledged (HTTP 202, or a persistent JMS send that returned), always with the same
 * id and source. Publishers take events only below {@link #allowUpTo}, which the test
 * raises between kills.
 */
final class Ledger {
    static final int NEW = 0;
    static final int ATTEMPTED = 1;
    static final int ACKNOWLEDGED = 2;

    private final String run;
    private final int events;
    private final AtomicIntegerArray state;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger retriedEvents = new AtomicInteger();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicInteger httpAcknowledged = new AtomicInteger();
    private final AtomicInteger jmsAcknowledged = new AtomicInteger();
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private volatile int allowed;
    private volatile boolean stopped;

    Ledger(String run, int events) {
        this.run = run;
        this.events = events;
        this.state = new AtomicIntegerArray(events);
    }

    /**
     * The data of event {@code n}: its number, and an upload as the video-pipeline example's
     * handlers read it (so the same events can go through handlers: see {@code HaIT}).
     */
    static String body(int n) {
        return "{\"n\":" + n + ",\"video\":\"clip-" + n + ".mov\",\"bytes\":" + (n + 1) + "}";
    }

    int events() {
        return events;
    }

    String id(int n) {
        return run + "-" + n;
    }

    /** The event index of an id of this run, or -1. */
    int index(String id) {
        if (id == null || !id.startsWith(run + "-")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(id.substring(run.length() + 1));
            return n >= 0 && n < events ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void allowUpTo(int n) {
        allowed = Math.min(events, Math.max(allowed, n));
    }

    /** The next event to publish, waiting while it is not allowed yet; -1 when there is none or the run stopped. */
    int take() {
        int n = next.getAndIncrement();
        if (n >= events) {
            return -1;
        }
        while (n >= allowed) {
            if (stopped) {
                return -1;
            }
            Processes.sleep(5);
        }
        return stopped ? -1 : n;
    }

    void attempted(int n) {
        state.compareAndSet(n, NEW, ATTEMPTED);
    }

    /** A send of event {@code n} failed (no acknowledgement); it will be sent again. */
    void failed(int n, int attempt) {
        failedAttempts.incrementAndGet();
        if (attempt == 1) {
            retriedEvents.incrementAndGet();
        }
    }

    void acknowledged(int n, boolean http) {
        if (state.getAndSet(n, ACKNOWLEDGED) != ACKNOWLEDGED) {
            acknowledged.incrementAndGet();
            (http ? httpAcknowledged : jmsAcknowledged).incrementAndGet();
        }
    }

    int state(int n) {
        return state.get(n);
    }

    int acknowledgedCount() {
        return acknowledged.get();
    }

    int httpAcknowledged() {
        return httpAcknowledged.get();
    }

    int jmsAcknowledged() {
        return jmsAcknowledged.get();
    }

    /** Events whose first send (at least) failed and were sent again. */
    int retriedEvents() {
        return retriedEvents.get();
    }

    long failedAttempts() {
        return failedAttempts.get();
    }

    /** An answer that retrying cannot fix (a 4xx): the run stops and fails. */
    void error(String message) {
        errors.add(message);
        stopped = true;
    }

    Queue<String> errors() {
        return errors;
    }

    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }
}
