/**
 * Push delivery: the consumers that POST a push purpose's events to its URL (CloudEvents HTTP
 * binary mode, signed), acknowledging on 2xx and rolling back otherwise, so that the broker's
 * redelivery policy of the purpose applies; which hosts may be called; how requests are signed.
 */
package io.solarwind.push;
