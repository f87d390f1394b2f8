package io.solarwind.examples.balances;

/** The data of a {@code payment.booked} event: an amount (in cents, negative for a debit) booked to an account. */
public record Payment(String account, long amount) {
}
