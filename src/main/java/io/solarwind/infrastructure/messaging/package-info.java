/**
 * What the broker side and the server side agree on: destination names
 * ({@link io.solarwind.infrastructure.messaging.BrokerNames}) and how a CloudEvent's
 * attributes travel as message properties
 * ({@link io.solarwind.infrastructure.messaging.CloudEventProperties}).
 */
package io.solarwind.infrastructure.messaging;
