/**
 * The dispatch path: {@link io.solarwind.dispatch.Dispatcher} consumes the inbound
 * topic and, in one local transaction per batch, sends each event once to its topic's
 * address, where the queues of the topic's direct purposes are bound, and once to each
 * fanout purpose's address.
 */
package io.solarwind.dispatch;
