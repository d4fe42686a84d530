/** The operations HTTP server: health, readiness and Prometheus metrics for a process. */
package org.clusterdns.process.http;
