/**
 * The Solar Wind handler API. A handler is a {@code @MessageDriven} bean annotated with
 * {@link io.solarwind.handler.Purpose}; that is all a service writes:
 *
 * <pre>{@code
 * @Purpose(topic = "video.uploaded", name = "encode-mp4", exchange = Exchange.DIRECT)
 * @MessageDriven
 * public class Encoder implements MessageListener {
 *     public void onMessage(Message message) {
 *         ReceivedEvent event = ReceivedEvent.of(message);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * Deploying the WAR registers the purpose with Solar Wind, the Solar Wind resource adapter
 * points the bean at the purpose's destination, and a handler that throws gets the event
 * again until its attempts are used up, then the event goes to the dead-letter address
 * with the reason. {@link io.solarwind.handler.SolarWindEvents} fires events from handlers.
 */
package io.solarwind.handler;
