package io.solarwind.examples.balances;

/** The data of a {@code balance.changed} event: the account's new balance after the payment of event {@code payment}. */
public record BalanceChanged(String account, long amount, long balance, String payment, String way) {
}
