/**
 * The embedded Artemis broker (the default) and the broker plugin that gives every
 * event published to {@code solarwind.inbound} its CloudEvents defaults and its
 * duplicate detection key. The plugin also runs in a standalone broker (see {@code artemis/}).
 */
package io.solarwind.infrastructure.broker;
