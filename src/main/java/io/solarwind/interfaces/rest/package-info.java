/**
 * The HTTP API under {@code /api/v1}: the purpose admin calls and the CloudEvents
 * publish endpoint ({@link io.solarwind.interfaces.rest.TopicsResource}; single events are
 * published before JAX-RS by {@link io.solarwind.interfaces.rest.EventIntakeFilter}, both through
 * {@link io.solarwind.interfaces.rest.EventIntake}), the
 * CloudEvents HTTP binding ({@link io.solarwind.interfaces.rest.CloudEventsHttp}) and
 * RFC 9457 problem documents for every error ({@link io.solarwind.interfaces.rest.ProblemMapper}).
 */
package io.solarwind.interfaces.rest;
