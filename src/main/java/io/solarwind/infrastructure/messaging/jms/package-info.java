/**
 * The JMS adapters of the application's ports, on the Artemis JMS client:
 * one shared {@link io.solarwind.infrastructure.messaging.jms.BrokerConnection},
 * the fixed destinations ({@link io.solarwind.infrastructure.messaging.jms.BrokerTopology}),
 * purpose destinations, the registration store (last-value queues) and the
 * event publisher. {@link io.solarwind.infrastructure.messaging.jms.EventMessages}
 * is the one place where an event becomes a JMS message.
 */
package io.solarwind.infrastructure.messaging.jms;
