package io.solarwind.domain;

/**
 * How often, and how far apart, the broker delivers one event again to a purpose whose
 * instance failed it: {@code maxAttempts} deliveries in all, the first redelivery after
 * {@code delayMillis}, each later one {@code multiplier} times longer, never longer than
 * {@code maxDelayMillis}. After the last attempt the event goes to the dead-letter address.
 */
public record Redelivery(int maxAttempts, long delayMillis, double multiplier, long maxDelayMillis) {
    public static final int MOST_ATTEMPTS = 1000;
    public static final long LONGEST_DELAY_MILLIS = 24L * 3600 * 1000;
    public static final double LARGEST_MULTIPLIER = 100.0;

    public Redelivery {
        check(maxAttempts >= 1 && maxAttempts <= MOST_ATTEMPTS, "maxAttempts",
                "maxAttempts must be between 1 and " + MOST_ATTEMPTS + ", not " + maxAttempts);
        check(delayMillis >= 0 && delayMillis <= LONGEST_DELAY_MILLIS, "delayMillis",
                "delayMillis must be between 0 and " + LONGEST_DELAY_MILLIS + " (a day), not " + delayMillis);
        check(!Double.isNaN(multiplier) && multiplier >= 1.0 && multiplier <= LARGEST_MULTIPLIER, "multiplier",
                "multiplier must be between 1.0 and " + LARGEST_MULTIPLIER + ", not " + multiplier);
        check(maxDelayMillis >= delayMillis && maxDelayMillis <= LONGEST_DELAY_MILLIS, "maxDelayMillis",
                "maxDelayMillis must be between delayMillis (" + delayMillis + ") and " + LONGEST_DELAY_MILLIS
                        + ", not " + maxDelayMillis);
    }

    /** The wait before delivery number {@code attempt} (2 is the first redelivery), as the broker computes it. */
    public long delayBefore(int attempt) {
        if (attempt <= 1 || delayMillis == 0) {
            return 0;
        }
        double delay = delayMillis * Math.pow(multiplier, attempt - 2);
        return (long) Math.min(delay, maxDelayMillis);
    }

    /** Whether both wait alike between deliveries (whatever their number of attempts). */
    public boolean sameDelays(Redelivery other) {
        return delayMillis == other.delayMillis && Double.compare(multiplier, other.multiplier) == 0
                && maxDelayMillis == other.maxDelayMillis;
    }

    /** The same delays with another number of attempts. */
    public Redelivery withMaxAttempts(int attempts) {
        return new Redelivery(attempts, delayMillis, multiplier, maxDelayMillis);
    }

    /** For messages: {@code maxAttempts 5, delayMillis 1000, multiplier 2.0, maxDelayMillis 60000}. */
    public String describe() {
        return "maxAttempts " + maxAttempts + ", delayMillis " + delayMillis + ", multiplier " + multiplier
                + ", maxDelayMillis " + maxDelayMillis;
    }

    private static void check(boolean ok, String field, String detail) {
        if (!ok) {
            throw new InvalidInputException("redelivery." + field, detail);
        }
    }
}
