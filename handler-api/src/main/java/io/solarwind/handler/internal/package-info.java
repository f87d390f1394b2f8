/**
 * How a handler WAR joins Solar Wind without any wiring by its author: registration of
 * its purposes on deployment ({@link io.solarwind.handler.internal.PurposeRegistrar}),
 * dead-lettering of events a handler keeps failing on
 * ({@link io.solarwind.handler.internal.FailedEventInterceptor}), and the build-time
 * generator of the Liberty activation-spec bindings
 * ({@link io.solarwind.handler.internal.HandlerBindingsProcessor}).
 */
package io.solarwind.handler.internal;
