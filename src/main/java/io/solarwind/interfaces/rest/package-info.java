/**
 * The HTTP API under {@code /api/v1}: the purpose admin calls and the CloudEvents
 * publish endpoint ({@link io.solarwind.interfaces.rest.TopicsResource}), the
 * CloudEvents HTTP binding ({@link io.solarwind.interfaces.rest.CloudEventsHttp}) and
 * RFC 9457 problem documents for every error ({@link io.solarwind.interfaces.rest.ProblemMapper}).
 */
package io.solarwind.interfaces.rest;
