/**
 * Solar Wind: services fire events about things that happened; Solar Wind delivers
 * them by purpose. Start reading at {@link io.solarwind.SolarWind} (start and stop),
 * then {@code dispatch} (the dispatch path), {@code application} (the purpose
 * registry), {@code domain} (the model) and {@code interfaces.rest} (the HTTP API).
 */
package io.solarwind;
