/**
 * The application layer: the {@link io.solarwind.application.PurposeRegistry}
 * (register, look up, unregister purposes) and the ports it and the HTTP API
 * need from the broker: {@link io.solarwind.application.RegistrationStore},
 * {@link io.solarwind.application.PurposeDestinations} and
 * {@link io.solarwind.application.EventPublisher}. Their JMS implementations
 * live in {@code io.solarwind.infrastructure.messaging.jms}.
 */
package io.solarwind.application;
