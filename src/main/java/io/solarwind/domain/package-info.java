/**
 * The model: a {@link io.solarwind.domain.Topic} is a kind of event, a
 * {@link io.solarwind.domain.Purpose} is what a group of instances does with it,
 * an {@link io.solarwind.domain.Exchange} says how those instances share the
 * events, and a {@link io.solarwind.domain.Registration} binds the three to a
 * broker destination. {@link io.solarwind.domain.Event} is one CloudEvent.
 * Nothing here knows about JMS, HTTP or the application server.
 */
package io.solarwind.domain;
