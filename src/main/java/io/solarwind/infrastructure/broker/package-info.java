/**
 * The embedded Artemis broker (the default) and Solar Wind's broker plugins: one gives every
 * event published to {@code solarwind.inbound} its CloudEvents defaults and its duplicate
 * detection key, the other replays retained events into a purpose, in the active broker, when a
 * Solar Wind server asks with a management message ({@code RetentionReplay}). The plugins also
 * run in a standalone broker (see {@code artemis/}).
 */
package io.solarwind.infrastructure.broker;
