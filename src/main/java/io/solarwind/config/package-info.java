/**
 * Configuration: every setting in one enum, read through MicroProfile Config.
 */
package io.solarwind.config;
