/** Operations: Prometheus metrics of reconciliation and the HTTP {@code /healthz}, {@code /readyz} and {@code /metrics} endpoints. */
package org.clusterdns.kube2sky.metrics;
