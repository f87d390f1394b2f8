/**
 * The load generator: Solar Wind against the same Artemis broker used directly and against
 * RabbitMQ doing the same job, scenario by scenario, alternating the systems.
 */
package io.solarwind.bench;
