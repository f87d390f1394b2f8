/**
 * The dispatch path: {@link io.solarwind.dispatch.Dispatcher} consumes the inbound
 * topic and, in one local transaction per batch, sends each event's copy to every
 * purpose registered on its topic.
 */
package io.solarwind.dispatch;
