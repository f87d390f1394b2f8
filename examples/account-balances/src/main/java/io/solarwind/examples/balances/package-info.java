/**
 * Example: account balances kept in PostgreSQL by Solar Wind handlers, once per event across
 * crashes, the XA way ({@link io.solarwind.examples.balances.BalancesXa}) and the idempotent way
 * ({@link io.solarwind.examples.balances.BalancesIdempotent}), with the plain at-least-once way
 * ({@link io.solarwind.examples.balances.BalancesPlain}) for comparison.
 */
package io.solarwind.examples.balances;
