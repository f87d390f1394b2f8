/**
 * Solar Wind's resource adapter: the Artemis JMS resource adapter, extended so that a
 * message-driven bean annotated with {@code @Purpose} consumes its purpose's destination
 * without any destination in its configuration.
 */
package io.solarwind.ra;
