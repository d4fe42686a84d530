/**
 * Operations: Prometheus metrics under SkyDNS's names and the HTTP {@code /healthz} and
 * {@code /readyz} endpoints.
 */
package org.clusterdns.skydns.metrics;
