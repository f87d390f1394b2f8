/** MicroProfile Health: ready while the broker is reachable and dispatch is running. */
package io.solarwind.interfaces.health;
